namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// The deepest linearization the search reached, which explains a violation. It is kept without
/// copying the whole stack at every new record (that made long histories quadratic): the record
/// shares a prefix with the stack, and only the part pushed since they diverged is copied, so the
/// copying costs at most one write per push overall.
/// </summary>
internal sealed class LinearizabilityLongestPrefix
{
    private readonly List<int> _operations = [];

    // The stack and the record agree on their first _agree operations.
    private int _agree;

    /// <summary>The operations of the record, in linearization order.</summary>
    public IReadOnlyList<int> Operations => _operations;

    /// <summary>The register value after the record.</summary>
    public string Value { get; private set; } = string.Empty;

    /// <summary>Call after pushing a choice, with the value after it.</summary>
    public void Pushed(IReadOnlyList<LinearizabilityFrame> stack, string value)
    {
        var depth = stack.Count;
        if (_agree == depth - 1 && _agree < _operations.Count && _operations[_agree] == stack[^1].Operation)
        {
            _agree++;
        }

        if (depth > _operations.Count)
        {
            _operations.RemoveRange(_agree, _operations.Count - _agree);
            for (var i = _agree; i < depth; i++)
            {
                _operations.Add(stack[i].Operation);
            }

            _agree = depth;
            Value = value;
        }
    }

    /// <summary>Call after popping a choice, with the new stack depth.</summary>
    public void Popped(int depth) => _agree = Math.Min(_agree, depth);
}
