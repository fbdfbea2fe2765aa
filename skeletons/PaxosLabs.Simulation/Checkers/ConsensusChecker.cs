namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Safety of single-decree consensus, checked as the run goes:
/// agreement (no two nodes decide differently), validity (only a proposed value is decided) and
/// integrity (a node's decision never changes). The first violation is kept with its step.
/// </summary>
public sealed class ConsensusChecker
{
    private readonly HashSet<string> _proposed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _decided = new(StringComparer.Ordinal);

    /// <summary>The first violation, or null while the run is safe.</summary>
    public string? Violation { get; private set; }

    public IReadOnlyDictionary<string, string> Decisions => _decided;

    public void Proposed(string value) => _proposed.Add(value);

    /// <summary>Records what <paramref name="node"/> has decided (null: nothing yet) and checks the rules.</summary>
    public void Observe(string node, string? decided, long step)
    {
        if (decided is null || Violation is not null)
        {
            return;
        }

        if (_decided.TryGetValue(node, out var earlier))
        {
            if (earlier != decided)
            {
                Violation = $"Integrity violated at step {step}: node {node} decided \"{earlier}\" and later \"{decided}\"; a decision must never change.";
            }

            return;
        }

        if (!_proposed.Contains(decided))
        {
            Violation = $"Validity violated at step {step}: node {node} decided \"{decided}\", which nobody proposed (proposed: {string.Join(", ", _proposed.Order().Select(v => $"\"{v}\""))}).";
            return;
        }

        var other = _decided.FirstOrDefault(d => d.Value != decided);
        if (other.Key is not null)
        {
            Violation = $"Agreement violated at step {step}: node {node} decided \"{decided}\" but node {other.Key} decided \"{other.Value}\".";
            return;
        }

        _decided[node] = decided;
    }
}
