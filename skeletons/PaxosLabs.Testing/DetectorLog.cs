using PaxosLabs.Detectors;

namespace PaxosLabs.Testing;

/// <summary>
/// Stands in for the network and the leader detector of one failure detector: records every
/// heartbeat it sends and every suspicion and restoration it reports, in one log, in the order they
/// happened, as short strings ("request 0->1", "reply 0->2", "suspect 1", "restore 1").
/// </summary>
public sealed class DetectorLog : IHeartbeatSender, ISuspicionListener
{
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];
    private readonly List<Heartbeat> _sent = [];

    public void Send(Heartbeat heartbeat)
    {
        lock (_gate)
        {
            _sent.Add(heartbeat.Clone());
            _log.Add($"{(heartbeat.Request ? "request" : "reply")} {heartbeat.From}->{heartbeat.To}");
        }
    }

    public void Suspect(uint id)
    {
        lock (_gate)
        {
            _log.Add($"suspect {id}");
        }
    }

    public void Restore(uint id)
    {
        lock (_gate)
        {
            _log.Add($"restore {id}");
        }
    }

    /// <summary>The heartbeats sent since the last <see cref="Take"/>.</summary>
    public IReadOnlyList<Heartbeat> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Everything since the last call, then forgets it.</summary>
    public List<string> Take()
    {
        lock (_gate)
        {
            var log = _log.ToList();
            _log.Clear();
            _sent.Clear();
            return log;
        }
    }

    /// <summary>"[suspect 1, request 0->0]", or "(nothing)".</summary>
    public static string Show(IEnumerable<string> log)
    {
        var list = log.ToList();
        return list.Count == 0 ? "(nothing)" : "[" + string.Join(", ", list) + "]";
    }

    /// <summary>
    /// The message of a timeout that did not do what it should: the node, the timeout's number, the
    /// delay and delta, why, and both sequences.
    /// </summary>
    public static string TimeoutMismatch(uint node, int number, TimeSpan delay, TimeSpan delta, string why, IEnumerable<string> expected, IEnumerable<string> actual) =>
        $"Node {node}, timeout #{number} (delay now {delay.TotalMilliseconds} ms, delta {delta.TotalMilliseconds} ms): {why}{Environment.NewLine}" +
        $"  expected: {Show(expected)}{Environment.NewLine}" +
        $"  actual:   {Show(actual)}";
}
