using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// What a replica's learn carries on the wire (protocol §4.4): a vote that confirms the accept comes
/// without its value, which the leader sent and puts back before its AcceptQF; a NACK names the
/// higher round; the vote itself keeps the value. Seen here by a probe whose quorum functions return the first reply as it arrived.
/// </summary>
[Trait("Stage", "4")]
public sealed class LearnWireTests : IAsyncDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly Replica _replica;
    private readonly Manager _probe;

    public LearnWireTests()
    {
        _replica = new Replica(0, new Dictionary<uint, string> { [0] = "r0" }, _network, "r0", new ReplicaOptions { TimeProvider = new FakeTimeProvider() });
        _network.Listen("r0", new GorumsServer().Register(_replica));
        _probe = new Manager(_network, new ManagerOptions { ClientName = "probe" });
    }

    public async ValueTask DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _replica.DisposeAsync();
    }

    [Fact]
    public async Task A_vote_travels_without_the_value_the_leader_sent_and_a_nack_names_the_higher_round()
    {
        var replica = new MultiPaxosConfiguration(_probe.NewConfiguration([KeyValuePair.Create(0u, "r0")]), new FirstReplyQSpec()) { Timeout = TimeSpan.FromSeconds(30) };
        var value = new Value { ClientId = "bob", ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = "v" } };

        var vote = await Eventually.WithinAsync(replica.AcceptAsync(new AcceptMsg { Slot = 1, Rnd = 5, Val = value }), "replica r0's learn for slot 1 in round 5");
        Assert.True(vote.Slot == 1 && vote.Rnd == 5 && vote.Val is null,
            $"Replica r0 voted for the value of the accept (slot 1, round 5), so its learn should carry slot 1 and round 5 and no value; it carried slot {vote.Slot}, round {vote.Rnd} and {(vote.Val is null ? "no value" : $"the value {vote.Val}")}.");

        // The vote itself keeps the value: a promise returns it whole.
        var promise = await Eventually.WithinAsync(replica.PrepareAsync(new PrepareMsg { FromSlot = 1, Crnd = 6 }), "replica r0's promise for round 6");
        Assert.True(promise.Rnd == 6 && promise.Accepted.Count == 1 && promise.Accepted[0].Slot == 1 && promise.Accepted[0].Vrnd == 5 && value.Equals(promise.Accepted[0].Vval),
            $"Replica r0 voted for {value} in slot 1, round 5, so its promise for round 6 should list that vote; it listed [{string.Join(", ", promise.Accepted)}] (round {promise.Rnd}).");

        var nack = await Eventually.WithinAsync(replica.AcceptAsync(new AcceptMsg { Slot = 2, Rnd = 3, Val = value }), "replica r0's answer to an accept of the lower round 3");
        Assert.True(nack.Slot == 2 && nack.Rnd == 6 && nack.Val is null,
            $"Replica r0 promised round 6, so an accept of round 3 gets a NACK naming round 6 and no value; it answered slot {nack.Slot}, round {nack.Rnd}.");
    }
}
