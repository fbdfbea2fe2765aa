using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using PaxosLabs.Testing.Worlds;

namespace PaxosLabs.HiddenTests.Stage6;

/// <summary>Task 6.3: whom a replica follows in a changing configuration, and a spare that catches up to join.</summary>
public sealed class LeaderTests : IAsyncDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly Dictionary<uint, string> _nodes = new() { [0] = "r0", [1] = "r1", [2] = "r2", [3] = "r3" };
    private readonly List<Replica> _replicas = [];
    private readonly List<Manager> _managers = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Replica <paramref name="id"/> of nodes 0–3, the initial configuration {0, 1, 2} (3 is a spare), α = 4.</summary>
    private Replica Start(uint id, Func<IReadOnlyCollection<uint>, long>? leaderAmong = null, bool catchUp = false)
    {
        var replica = new Replica(id, _nodes, _network, _nodes[id], new ReplicaOptions
        {
            Reconfigurable = true,
            Members = [0, 1, 2],
            Alpha = 4,
            CallTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(60),
            CatchUpInterval = TimeSpan.FromMilliseconds(10),
        })
        { LeaderAmong = leaderAmong };
        _network.Listen(_nodes[id], new GorumsServer().Register(replica));
        _replicas.Add(replica);
        if (catchUp)
        {
            _ = replica.CatchUpAsync(_stop.Token);
        }

        return replica;
    }

    private KvClient Client(string name)
    {
        var manager = new Manager(_network, new ManagerOptions { ClientName = name });
        _managers.Add(manager);
        var members = _nodes.Where(n => n.Key < 3).ToDictionary();
        return new KvClient(name, new MultiPaxosConfiguration(manager.NewConfiguration(members), new PaxosQSpec(3)) { Timeout = TimeSpan.FromSeconds(60) });
    }

    private static Membership Of(params uint[] ids) => MultiPaxosScenario.Members(ids);

    [Fact]
    [Graded("6.3", 2)]
    public async Task A_replica_follows_a_leader_only_among_the_replicas_of_the_configuration_of_its_next_slot()
    {
        var member = Start(0);
        member.OnLeaderChange(3);
        Assert.True(member.Leader == Replica.NoLeader,
            $"Replica 0 was told that replica 3 leads, but 3 is a spare, not a replica of the configuration {{0, 1, 2}} of replica 0's next slot: it must follow no leader (Replica.NoLeader = -1), not {member.Leader}.");
        member.OnLeaderChange(1);
        Assert.True(member.Leader == 1, $"Replica 0 was told that replica 1, a member, leads: it must follow 1, not {member.Leader}.");

        var spare = Start(3);
        spare.OnLeaderChange(3);
        Assert.True(!spare.IsLeader && spare.Leader == Replica.NoLeader,
            $"Spare 3 was told that it leads itself, but it is not a replica of its next slot's configuration {{0, 1, 2}} yet: it must not lead (Leader must be -1, not {spare.Leader}).");

        var chooser = Start(1, leaderAmong: members => members.Max() - 1);
        chooser.OnLeaderChange(2);
        Assert.True(chooser.Leader == 1,
            $"Replica 1 has LeaderAmong set, which chooses among the members {{0, 1, 2}} (here: replica 1): the leader detector's own choice (2) is not what it follows; it follows {chooser.Leader}.");
        await Task.CompletedTask;
    }

    [Fact]
    [Graded("6.3", 3)]
    public async Task A_spare_does_not_count_and_catches_up_with_nothing_waiting_until_it_knows_it_joined()
    {
        var replicas = new[] { Start(0, catchUp: true), Start(1, catchUp: true), Start(2, catchUp: true) };
        var spare = Start(3, catchUp: true);

        // Before it has caught up to a configuration it belongs to, a spare does not count.
        var manager = new Manager(_network, new ManagerOptions { ClientName = "probe" });
        _managers.Add(manager);
        var toSpare = new MultiPaxosConfiguration(manager.NewConfiguration([KeyValuePair.Create(3u, "r3")]), new FirstReplyQSpec()) { Timeout = TimeSpan.FromSeconds(30) };
        var promise = await toSpare.PrepareAsync(new PrepareMsg { FromSlot = 1, Crnd = 7 });
        var learn = await toSpare.AcceptAsync(new AcceptMsg { Slot = 1, Rnd = 7, Val = new Value { IsNoop = true } });
        Assert.True(promise.Rnd == Rounds.NoRound && promise.Accepted.Count == 0 && learn.Rnd == Rounds.NoRound && learn.Val is null,
            $"Spare 3 is not a replica of the configuration {{0, 1, 2}} of its next slot: it must refuse a prepare and an accept with a NACK of round NoRound (-1) and no vote, but it answered Promise{{Rnd = {promise.Rnd}}} and Learn{{Rnd = {learn.Rnd}}}.");
        Assert.True(spare.State.AcceptorRnd == Rounds.NoRound, $"Spare 3 refused, so its acceptor must not have changed: its Rnd is {spare.State.AcceptorRnd}.");
        foreach (var replica in replicas.Append(spare))
        {
            replica.OnLeaderChange(2);
        }

        var kv = Client("c0");
        for (var i = 0; i < 5; i++)
        {
            await kv.PutAsync("k", $"v{i}");
        }

        await kv.ReconfigureAsync(Of(0, 1, 2, 3));
        var latest = replicas[2].State.LatestConfiguration!;
        Assert.True(latest.Members.Equals(Of(0, 1, 2, 3)), $"After the change ran, the leader's newest configuration must be {{0, 1, 2, 3}}; it is {Configurations.Describe(latest)}.");

        // Nothing is sent to the spare before its configuration starts, and nothing waits at it:
        // only its own catch-up (it is not a replica of its next slot yet) brings it the log.
        await Eventually.WaitAsync(() => spare.State.Adu >= latest.FromSlot - 1,
            $"spare 3 to catch up to slot {latest.FromSlot - 1}, the last slot before the configuration it joins (it is at adu {spare.State.Adu}; the leader is at {replicas[2].State.Adu}). A replica that is not a replica of the configuration of its adu + 1 must keep catching up.");
        Assert.Equal(replicas[2].State.Data["k"], spare.State.Data["k"]);
    }

    [Fact]
    [Graded("6.3", 2)]
    public void A_removed_leader_stops_leading_and_another_member_leads() =>
        MultiPaxosScenario.ReconfigurationSweep(3, 150, 4, ReconfigurationPlan.RemoveLeader);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var manager in _managers)
        {
            await manager.DisposeAsync();
        }

        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        _stop.Dispose();
    }
}
