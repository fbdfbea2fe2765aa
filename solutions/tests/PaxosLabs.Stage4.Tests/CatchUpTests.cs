using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// The given catch-up loop of <see cref="Replica"/> on real threads. Outside the simulator the
/// leader detector publishes on a thread of its own, at any moment; the simulator cannot show what
/// that breaks, since it switches between tasks only where they await, and a replica that checks
/// the leader and then reads it again does so without an await in between.
/// </summary>
[Trait("Stage", "4")]
public sealed class CatchUpTests
{
    /// <summary>Rounds of catch-up the leader must answer while the leader flaps; a count, not a time.</summary>
    private const int Rounds = 200;

    [Fact]
    public async Task Catch_up_keeps_running_while_the_leader_flaps_between_a_peer_and_none()
    {
        var network = new InMemoryNetwork();
        var nodes = new Dictionary<uint, string> { [0] = "r0", [1] = "r1", [2] = "r2" };
        var leader = new CatchupCounter();
        network.Listen("r1", new GorumsServer().Register(leader));
        await using var replica = new Replica(0, nodes, network, "r0", new ReplicaOptions { CallTimeout = TimeSpan.FromSeconds(30), CatchUpInterval = TimeSpan.FromMilliseconds(1) });
        network.Listen("r0", new GorumsServer().Register(replica));

        // The replica runs decisions through ReplicaLog (task 4.5). Inside the commit handler a stub's
        // exception is lost (a commit has no reply), and the wait below would last its whole bound:
        // run it here first, so that an unfinished task 4.5 fails this test at once, naming itself.
        new ReplicaLog(new KvStateMachine()).Decide(2, new Value { IsNoop = true });

        // A decision above a gap keeps catch-up busy: slot 2 waits for slot 1, which nobody sends.
        await using (var committer = new Manager(network, new ManagerOptions { ClientName = "committer" }))
        {
            var toReplica = new MultiPaxosConfiguration(committer.NewConfiguration([KeyValuePair.Create(0u, "r0")]), new PaxosQSpec(nodes.Count));
            await toReplica.CommitAsync(new LearnMsg { Slot = 2, Rnd = 1, Val = new Value { ClientId = "c", ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = "v" } } });
            await Eventually.WaitAsync(() => replica.State.Buffered == 1, "replica r0 to hold the decision of slot 2 (slot 1 is missing), so that it catches up");
        }

        replica.OnLeaderChange(1);
        using var stop = new CancellationTokenSource();
        var catchUp = replica.CatchUpAsync(stop.Token);

        // The leader detector's thread: the leader flips between r1 and none as fast as it can until
        // r1 has answered enough rounds. The spins keep either value long enough to be seen; a yield
        // now and then lets the catch-up loop run on a machine with few cores.
        var flips = 0L;
        var flapping = Task.Factory.StartNew(() =>
        {
            while (Volatile.Read(ref leader.Calls) < Rounds && !catchUp.IsCompleted)
            {
                replica.OnLeaderChange(Replica.NoLeader);
                Thread.SpinWait(20);
                replica.OnLeaderChange(1);
                Thread.SpinWait(20);
                if (++flips % 64 == 0)
                {
                    Thread.Yield();
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await Eventually.WaitAsync(() => Volatile.Read(ref leader.Calls) >= Rounds || catchUp.IsCompleted, $"leader r1 to answer {Rounds} catch-up requests of r0 while the leader flaps");
        await flapping;
        Assert.False(catchUp.IsCompleted,
            $"The catch-up loop must run until it is stopped, whatever the leader does; it ended after {Volatile.Read(ref leader.Calls)} rounds and {flips} flips of the leader"
            + (catchUp.Exception is { } e ? $" with {e.InnerException!.GetType().Name}: {e.InnerException.Message}" : "") + ".");

        await stop.CancelAsync();
        await catchUp;
    }

    /// <summary>A leader that only answers catch-up requests, with nothing, and counts them.</summary>
    private sealed class CatchupCounter : MultiPaxosServerBase
    {
        public int Calls;

        public override Task<CatchupReply> Catchup(CatchupRequest request, ServerContext context)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new CatchupReply());
        }

        public override Task<PromiseMsg> Prepare(PrepareMsg request, ServerContext context) => throw new NotSupportedException();

        public override Task<LearnMsg> Accept(AcceptMsg request, ServerContext context) => throw new NotSupportedException();

        public override Task Commit(LearnMsg request, ServerContext context) => Task.CompletedTask;

        public override Task<Response> ClientHandle(Value request, ServerContext context) => throw new NotSupportedException();

        public override Task Forward(Value request, ServerContext context) => Task.CompletedTask;
    }
}
