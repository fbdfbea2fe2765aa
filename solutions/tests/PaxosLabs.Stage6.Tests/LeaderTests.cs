using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage6.Tests;

/// <summary>Task 6.3: a replica follows a leader only among the replicas of the configuration of its next slot (protocol §6.4).</summary>
[Trait("Stage", "6")]
[Trait("Task", "6.3")]
public sealed class LeaderTests : IAsyncDisposable
{
    private readonly Replica _replica = new(0, new Dictionary<uint, string> { [0] = "r0", [1] = "r1", [2] = "r2", [3] = "r3" }, new InMemoryNetwork(), "r0",
        new ReplicaOptions { Reconfigurable = true, Members = [0, 1, 2] });

    [Fact]
    public void A_member_named_by_the_leader_detector_is_followed()
    {
        _replica.OnLeaderChange(2);
        Assert.Equal(2, _replica.Leader);
    }

    [Fact]
    public void A_spare_is_never_followed_before_it_joins()
    {
        _replica.OnLeaderChange(3); // 3 is a spare: not a replica of {0, 1, 2}
        Assert.Equal(Replica.NoLeader, _replica.Leader);
    }

    public async ValueTask DisposeAsync() => await _replica.DisposeAsync();
}
