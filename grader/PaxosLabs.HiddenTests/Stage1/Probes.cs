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

/// <summary>A quorum spec whose read function the test chooses and whose calls it records.</summary>
internal sealed class ProbeQSpec(Func<IReadOnlyDictionary<uint, State>, (State?, bool)> read) : IStorageQSpec
{
    private readonly Lock _gate = new();
    private readonly List<int> _seen = [];

    /// <summary>The number of replies the read function saw at each evaluation.</summary>
    public IReadOnlyList<int> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    public static ProbeQSpec DoneAt(int replies) => new(r => (r.Count >= replies ? r.Values.First() : null, r.Count >= replies));

    public static ProbeQSpec Never() => new(_ => (null, false));

    public (State? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, State> replies)
    {
        lock (_gate)
        {
            _seen.Add(replies.Count);
        }

        return read(replies);
    }

    public (WriteResponse? Result, bool Done) WriteQF(State request, IReadOnlyDictionary<uint, WriteResponse> replies) =>
        (new WriteResponse(), replies.Count >= 1);
}
