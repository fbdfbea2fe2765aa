using PaxosLabs.Gorums.Server;
using PaxosLabs.Storage;

namespace PaxosLabs.HiddenTests.Stage1;

/// <summary>A storage node that tests can hold up, make fail, and inspect.</summary>
internal sealed class ProbeStorage(uint id) : StorageServerBase
{
    private readonly Lock _gate = new();
    private readonly List<long> _arrivals = [];
    private int _reads;

    /// <summary>While set and not completed, reads wait on it.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>When set, every read fails with it.</summary>
    public Exception? Failure { get; set; }

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Timestamps of writes and multicasts, in the order the node handled them.</summary>
    public IReadOnlyList<long> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public override async Task<State> Read(ReadRequest request, ServerContext context)
    {
        Interlocked.Increment(ref _reads);
        if (Failure is not null)
        {
            throw Failure;
        }

        if (Hold is { } hold)
        {
            await hold.Task;
        }

        return new State { Value = $"node-{id}", Timestamp = id };
    }

    public override Task<WriteResponse> Write(State request, ServerContext context)
    {
        Record(request.Timestamp);
        return Task.FromResult(new WriteResponse { New = true });
    }

    public override Task WriteAll(State request, ServerContext context)
    {
        Record(request.Timestamp);
        return Task.CompletedTask;
    }

    private void Record(long timestamp)
    {
        lock (_gate)
        {
            _arrivals.Add(timestamp);
        }
    }
}

/// <summary>
/// A quorum spec whose read function the test chooses and whose calls it records. It fails the
/// call at once, naming the node, when a failed node's reply (null) reaches it.
/// </summary>
internal sealed class ProbeQSpec(Func<IReadOnlyDictionary<uint, State>, (State?, bool)> read) : IStorageQSpec
{
    private readonly Lock _gate = new();
    private readonly List<uint[]> _seen = [];
    private string? _nullReply;

    /// <summary>The number of replies the read function saw at each evaluation.</summary>
    public IReadOnlyList<int> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen.Select(nodes => nodes.Length)];
            }
        }
    }

    /// <summary>The node ids of the replies at each evaluation, ascending.</summary>
    public IReadOnlyList<uint[]> SeenNodes
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>The evaluations as text, e.g. "[{1}, {1, 2}]": one set of node ids per evaluation.</summary>
    public string Show() => "[" + string.Join(", ", SeenNodes.Select(nodes => "{" + string.Join(", ", nodes) + "}")) + "]";

    public static ProbeQSpec DoneAt(int replies) => new(r => (r.Count >= replies ? r.Values.First() : null, r.Count >= replies));

    public static ProbeQSpec Never() => new(_ => (null, false));

    /// <summary>Fails with the probe's finding if a failed node's reply ever reached the read function.</summary>
    public void AssertNoFailedNodeReached()
    {
        lock (_gate)
        {
            Assert.True(_nullReply is null, _nullReply);
        }
    }

    public (State? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, State> replies)
    {
        var failed = replies.Where(r => r.Value is null).Select(r => r.Key).Order().ToList();
        lock (_gate)
        {
            _seen.Add([.. replies.Keys.Order()]);
            if (failed.Count > 0)
            {
                var finding = $"The quorum function got a null reply from node {string.Join(" and node ", failed)} (its evaluation number {_seen.Count}, on replies from nodes {{{string.Join(", ", replies.Keys.Order())}}}). A null reply is a node that failed, and a failed node's reply must never reach the quorum function: record the node's error for the QuorumCallException and evaluate the quorum function only on the replies that arrived.";
                _nullReply ??= finding;
                throw new FailedNodeReplyException(finding);
            }
        }

        return read(replies);
    }

    public (WriteResponse? Result, bool Done) WriteQF(State request, IReadOnlyDictionary<uint, WriteResponse> replies) =>
        (new WriteResponse(), replies.Count >= 1);
}

/// <summary>What the probe throws when a failed node's reply reaches it, so the call ends there.</summary>
internal sealed class FailedNodeReplyException(string message) : Exception(message);
