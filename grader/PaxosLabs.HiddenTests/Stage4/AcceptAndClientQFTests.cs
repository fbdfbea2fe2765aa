using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>AcceptQF and ClientHandleQF (task 4.3).</summary>
public class AcceptAndClientQFTests
{
    private static readonly AcceptMsg Accept = new() { Slot = 4, Rnd = 7, Val = Cmd("a", 3) };

    [Theory]
    [Graded("4.3", 3)]
    [InlineData("slot")]
    [InlineData("round")]
    [InlineData("value")]
    public void AcceptQF_counts_only_learns_that_match_slot_round_and_value(string differs)
    {
        var wrong = new LearnMsg { Slot = differs == "slot" ? 5ul : 4ul, Rnd = differs == "round" ? 8 : 7, Val = differs == "value" ? Cmd("b", 3) : Cmd("a", 3) };
        var right = new LearnMsg { Slot = 4, Rnd = 7, Val = Cmd("a", 3) };
        var qspec = new PaxosQSpec(3);
        Assert.False(qspec.AcceptQF(Accept, new Dictionary<uint, LearnMsg> { [0] = right, [1] = wrong }).Done,
            $"Node 1's learn has another {differs} than the accept, so it is invalid: one valid learn is below a quorum of 2.");
        var (result, done) = qspec.AcceptQF(Accept, new Dictionary<uint, LearnMsg> { [0] = right, [1] = wrong, [2] = right.Clone() });
        Assert.True(done && result!.Slot == 4 && result.Rnd == 7, "Two matching learns of three are a quorum: done with that learn.");
    }

    [Theory]
    [Graded("4.3", 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(1, 1)]
    public void AcceptQF_needs_a_majority(int n, int quorum)
    {
        var learns = Enumerable.Range(0, quorum - 1).ToDictionary(i => (uint)i, _ => new LearnMsg { Slot = 4, Rnd = 7, Val = Cmd("a", 3) });
        Assert.False(new PaxosQSpec(n).AcceptQF(Accept, learns).Done, $"n = {n}: {quorum - 1} learns are below a quorum of {quorum}.");
        learns[99] = new LearnMsg { Slot = 4, Rnd = 7, Val = Cmd("a", 3) };
        Assert.True(new PaxosQSpec(n).AcceptQF(Accept, learns).Done, $"n = {n}: {quorum} learns are a quorum.");
    }

    [Theory]
    [Graded("4.3", 3)]
    [InlineData("client")]
    [InlineData("seq")]
    [InlineData("error")]
    public void ClientHandleQF_counts_only_answers_to_this_request_that_are_not_errors(string differs)
    {
        var request = Cmd("alice", 12);
        var right = new Response { ClientId = "alice", ClientSeq = 12, Result = "v" };
        var wrong = new Response
        {
            ClientId = differs == "client" ? "bob" : "alice",
            ClientSeq = differs == "seq" ? 11ul : 12ul,
            Result = "v",
            Error = differs == "error" ? "timed out" : "",
        };
        var qspec = new PaxosQSpec(3);
        Assert.False(qspec.ClientHandleQF(request, new Dictionary<uint, Response> { [0] = right, [1] = wrong }).Done,
            $"Node 1's response differs in its {differs}: it does not answer alice's request 12 (or is an error) and must not count.");
        var (result, done) = qspec.ClientHandleQF(request, new Dictionary<uint, Response> { [0] = right, [1] = wrong, [2] = right.Clone() });
        Assert.True(done && result!.ClientSeq == 12 && result.Result == "v", "Two valid responses of three are a quorum: done with one of them.");
    }
}
