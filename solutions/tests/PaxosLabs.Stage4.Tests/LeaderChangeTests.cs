using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// Task 4.4: the order of a term, seen from the other side. Replica r2 becomes leader; r0 and r1
/// are stand-ins that record every Accept they get, in arrival order (one sender's messages arrive
/// in sending order, protocol §1.5). Both promise with a vote for slot 2 (x#1, round 1) and nothing
/// in slot 1, so phase 1 returns slot 1 as a no-op and slot 2 with x#1, whichever two replicas
/// answer first. Time stands still: no call times out, so the leader has exactly one term.
/// </summary>
[Trait("Stage", "4")]
[Trait("Task", "4.4")]
public sealed class LeaderChangeTests : IAsyncDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly Dictionary<uint, string> _nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2" };
    private readonly Dictionary<uint, StandIn> _standIns = [];
    private readonly Replica _leader;

    public LeaderChangeTests()
    {
        foreach (var id in new uint[] { 0, 1 })
        {
            _standIns[id] = new StandIn();
            _network.Listen(_nodes[id], new GorumsServer().Register(_standIns[id]));
        }

        // MaxBatch = 1: every value has a slot of its own, so the order of slots is easy to read.
        _leader = new Replica(2, _nodes, _network, "r2", new ReplicaOptions { TimeProvider = new FakeTimeProvider(), MaxBatch = 1 });
        _network.Listen("r2", new GorumsServer().Register(_leader));
    }

    public async ValueTask DisposeAsync() => await _leader.DisposeAsync();

    private static Value Cmd(string client, ulong seq) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = client, Value = $"{client}{seq}" } };

    /// <summary>
    /// a#1 waits at r2 before it leads; r2 takes over; then b#1 arrives as a new value. Returns the
    /// slots and values r0 was asked to accept, in order, once it has got b#1's accept.
    /// </summary>
    private async Task<List<string>> TakeOverAsync()
    {
        // The answers are not awaited: these tests look at what the leader proposes, in which order.
        _ = _leader.Handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);

        _leader.OnLeaderChange(2);
        _ = _leader.Handler.HandleAsync(Cmd("b", 1), enqueue: true, CancellationToken.None);
        await Eventually.WaitAsync(() => _standIns[0].Accepts.Any(a => a.EndsWith("b#1", StringComparison.Ordinal)),
            "replica r0 to get an Accept for the new value b#1 from the new leader r2");
        return _standIns[0].Accepts;
    }

    [Fact]
    public async Task A_new_leader_re_proposes_what_phase_1_returned_then_the_held_requests_then_new_values()
    {
        var accepts = await TakeOverAsync();
        string[] expected = ["slot 1: no-op", "slot 2: x#1", "slot 3: a#1", "slot 4: b#1"];
        Assert.True(accepts.SequenceEqual(expected),
            "Phase 1 of the new leader r2 returned slot 1 as a no-op (a hole) and slot 2 with x#1. A term re-proposes those first, no-ops included, each in its own slot; "
            + "then the request it holds (a#1) and then the new value (b#1), in fresh slots from max(highest returned slot, adu) + 1 = 3 on. "
            + $"Replica r0 should get the accepts [{string.Join(", ", expected)}], in that order; it got [{string.Join(", ", accepts)}].");
    }

    [Fact]
    public async Task A_stable_leader_counts_one_term_and_runs_phase_1_once()
    {
        await TakeOverAsync();
        await Eventually.WaitAsync(() => _leader.State.Adu >= 4, "the new leader r2 to decide and run slots 1 to 4 (adu = 4)");
        Assert.True(_leader.Proposer.Terms == 1 && _standIns.Values.All(s => s.Prepares == 1),
            "Replica r2 took over once and nothing failed since: one successful phase 1, so Proposer.Terms should be 1 (a term counts itself with Terms++ right after PrepareAsync returns) "
            + $"and each replica got one Prepare. Got Terms = {_leader.Proposer.Terms}, Prepares at r0: {_standIns[0].Prepares}, at r1: {_standIns[1].Prepares}.");
    }

    /// <summary>
    /// An acceptor that promises every round with a vote for slot 2 (x#1 in round 1), accepts
    /// everything and records each Accept as "slot 3: a#1".
    /// </summary>
    private sealed class StandIn : MultiPaxosServerBase
    {
        private readonly Lock _gate = new();
        private readonly List<string> _accepts = [];
        private int _prepares;

        public List<string> Accepts
        {
            get
            {
                lock (_gate)
                {
                    return [.. _accepts];
                }
            }
        }

        public int Prepares => Volatile.Read(ref _prepares);

        public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context)
        {
            Interlocked.Increment(ref _prepares);
            return Task.FromResult(new PromiseMsg { Rnd = request.Crnd, Accepted = { new PValue { Slot = 2, Vrnd = 1, Vval = Cmd("x", 1) } } });
        }

        public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context)
        {
            lock (_gate)
            {
                _accepts.Add($"slot {request.Slot}: {(request.Val.IsNoop ? "no-op" : $"{request.Val.ClientId}#{request.Val.ClientSeq}")}");
            }

            return Task.FromResult(new LearnMsg { Slot = request.Slot, Rnd = request.Rnd, Val = request.Val });
        }

        public override Task Commit(LearnMsg request, ServerContext context) => Task.CompletedTask;

        public override Task<CatchupReply> Catchup(CatchupRequest request, ServerContext context) => Task.FromResult(new CatchupReply());

        public override Task<Response> ClientHandle(Value request, ServerContext context) => throw new NotSupportedException("no client talks to a stand-in");

        public override Task Forward(Value request, ServerContext context) => Task.CompletedTask;
    }
}
