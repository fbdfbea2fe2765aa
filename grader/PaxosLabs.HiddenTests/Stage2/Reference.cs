using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.SinglePaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>
/// An acceptor written by the test, so the proposer's task (2.5) is graded on its own: its state
/// can be set up front, it records what it was sent, and it can play a competing proposer whose
/// prepare gets in between a proposer's two phases.
/// </summary>
internal sealed class ReferenceAcceptor : PaxosServerBase
{
    private readonly Lock _gate = new();
    private readonly List<string> _seen = [];
    private long _rnd = Rounds.NoRound;
    private long _vrnd = Rounds.NoRound;
    private string _vval = "";
    private long? _raiseBeforeAccept;

    /// <summary>Sets the state as if earlier rounds had happened.</summary>
    public ReferenceAcceptor With(long rnd, long vrnd = Rounds.NoRound, string vval = "")
    {
        lock (_gate)
        {
            (_rnd, _vrnd, _vval) = (rnd, vrnd, vval);
        }

        return this;
    }

    /// <summary>The next accept finds this round promised first, as if another proposer's prepare got in.</summary>
    public void RaiseBeforeNextAccept(long round)
    {
        lock (_gate)
        {
            _raiseBeforeAccept = round;
        }
    }

    public (long Rnd, long Vrnd, string Vval) State
    {
        get
        {
            lock (_gate)
            {
                return (_rnd, _vrnd, _vval);
            }
        }
    }

    /// <summary>The value of the first Commit received, or null.</summary>
    public LearnMsg? Committed { get; private set; }

    /// <summary>What the acceptor was sent, in order ("Prepare 4", "Accept 4 \"x\"", "Commit 4 \"x\"").</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context)
    {
        lock (_gate)
        {
            _seen.Add($"Prepare {request.Crnd}");
            if (request.Crnd <= _rnd)
            {
                return Task.FromResult(new PromiseMsg { Rnd = _rnd, Vrnd = Rounds.NoRound, Vval = "" });
            }

            _rnd = request.Crnd;
            return Task.FromResult(new PromiseMsg { Rnd = _rnd, Vrnd = _vrnd, Vval = _vval });
        }
    }

    public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context)
    {
        lock (_gate)
        {
            _seen.Add($"Accept {request.Rnd} \"{request.Val}\"");
            if (_raiseBeforeAccept is { } raise)
            {
                _raiseBeforeAccept = null;
                _rnd = Math.Max(_rnd, raise);
            }

            if (request.Rnd < _rnd)
            {
                return Task.FromResult(new LearnMsg { Rnd = _rnd, Val = "" });
            }

            (_rnd, _vrnd, _vval) = (request.Rnd, request.Rnd, request.Val);
            return Task.FromResult(new LearnMsg { Rnd = request.Rnd, Val = request.Val });
        }
    }

    public override Task Commit(LearnMsg request, ServerContext context)
    {
        lock (_gate)
        {
            _seen.Add($"Commit {request.Rnd} \"{request.Val}\"");
            Committed ??= request;
        }

        return Task.CompletedTask;
    }
}

/// <summary>The quorum functions written by the test (see <see cref="ReferenceAcceptor"/>).</summary>
internal sealed class ReferenceQSpec(int n) : IPaxosQSpec
{
    public (PromiseMsg? Result, bool Done) PrepareQF(PrepareMsg request, IReadOnlyDictionary<uint, PromiseMsg> replies)
    {
        var valid = replies.Where(r => r.Value.Rnd == request.Crnd).OrderBy(r => r.Key).Select(r => r.Value).ToList();
        if (valid.Count < n / 2 + 1)
        {
            return (null, false);
        }

        var best = valid.OrderByDescending(p => p.Vrnd).First();
        return (best.Vrnd == Rounds.NoRound
            ? new PromiseMsg { Rnd = request.Crnd, Vrnd = Rounds.NoRound, Vval = "" }
            : new PromiseMsg { Rnd = request.Crnd, Vrnd = best.Vrnd, Vval = best.Vval }, true);
    }

    public (LearnMsg? Result, bool Done) AcceptQF(AcceptMsg request, IReadOnlyDictionary<uint, LearnMsg> replies) =>
        replies.Values.Count(l => l.Rnd == request.Rnd && l.Val == request.Val) >= n / 2 + 1
            ? (new LearnMsg { Rnd = request.Rnd, Val = request.Val }, true)
            : (null, false);
}

/// <summary>Waits for protocol tasks while moving a fake clock on, so that backoffs end without real sleeps.</summary>
internal static class FakeClock
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Returns once <paramref name="task"/> completed (at once when it failed) or
    /// <paramref name="giveUp"/> holds; the fake clock moves one tick per poll.
    /// </summary>
    public static async Task WaitAsync(Task task, FakeTimeProvider time, string what, Func<bool>? giveUp = null)
    {
        await Eventually.WaitAsync(() =>
        {
            if (task.IsCompleted || (giveUp?.Invoke() ?? false))
            {
                return true;
            }

            time.Advance(Tick);
            return task.IsCompleted;
        }, what);
    }
}

/// <summary>N Paxos nodes of the implementation under test on one in-memory network, ids 0..n−1 at "node-i".</summary>
internal sealed class PaxosNodes : IAsyncDisposable
{
    private readonly PaxosNode[] _nodes;

    public PaxosNodes(int n, FakeTimeProvider time, int seed)
    {
        Time = time;
        var addresses = Enumerable.Range(0, n).ToDictionary(i => (uint)i, Address);
        _nodes = new PaxosNode[n];
        for (uint id = 0; id < n; id++)
        {
            _nodes[id] = new PaxosNode(id, addresses, Network, new PaxosNodeOptions
            {
                TimeProvider = time,
                Random = new Random(seed * 31 + (int)id),
                CallTimeout = null, // in memory every request is answered or fails at once
                MinBackoff = TimeSpan.FromMilliseconds(1),
                MaxBackoff = TimeSpan.FromMilliseconds(40),
            });
            Network.Listen(Address((int)id), new GorumsServer().Register(_nodes[id].Service));
        }
    }

    public FakeTimeProvider Time { get; }

    public InMemoryNetwork Network { get; } = new();

    public PaxosNode this[uint id] => _nodes[id];

    public IEnumerable<PaxosNode> All => _nodes;

    public static string Address(int id) => $"node-{id}";

    /// <summary>Stops a node as a crash would: calls to it fail.</summary>
    public void Crash(uint id) => Network.Stop(Address((int)id));

    public string Decisions => string.Join(", ", _nodes.Select(n => $"node {n.Id}: {(n.Decided is null ? "none" : $"\"{n.Decided}\"")}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
