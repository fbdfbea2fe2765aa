using PaxosLabs.SinglePaxos;
using static PaxosLabs.HiddenTests.Stage2.Show;

namespace PaxosLabs.HiddenTests.Stage2;

/// <summary>The proposer's choice of value and round (task 2.5), as tables.</summary>
public class ProposerChoiceTests
{
    [Fact]
    [Graded("2.5", 2)]
    public void A_reported_vote_is_adopted_and_only_no_value_keeps_the_own_value()
    {
        var cases = new (PromiseMsg Promise, string Expected)[]
        {
            (NoValue(7), "mine"),
            (Vote(7, 3, "theirs"), "theirs"),
            (Vote(7, 0, "round-zero"), "round-zero"),
        };
        foreach (var (promise, expected) in cases)
        {
            var actual = Proposer.ChooseValue(promise.Clone(), "mine");
            Assert.True(actual == expected, $"Phase 1 returned {Promise(promise)} and the proposer's own value is \"mine\": it must propose \"{expected}\" (a reported vote, Vrnd != NoRound, may already be chosen, so it replaces the own value; round 0 is a real round), not \"{actual}\".");
        }
    }

    [Theory]
    [Graded("2.5", 2)]
    [InlineData(1L, Rounds.NoRound, 3, 4L)]
    [InlineData(1L, 1L, 3, 4L)]
    [InlineData(1L, 100L, 3, 103L)]
    [InlineData(1L, 103L, 3, 106L)]
    [InlineData(1L, 4L, 3, 7L)] // the first step lands exactly on the round seen: one more step
    [InlineData(0L, 2L, 3, 3L)]
    [InlineData(4L, 4L, 5, 9L)]
    [InlineData(2L, 999L, 4, 1002L)]
    [InlineData(0L, 41L, 1, 42L)]
    public void The_next_round_is_the_smallest_own_round_above_every_round_seen(long crnd, long highestSeen, int n, long expected)
    {
        var actual = Proposer.NextRound(crnd, highestSeen, n);
        Assert.True(actual == expected, $"After round {crnd} failed with n = {n}, having seen round {highestSeen} in a reply, the next round must be {expected}: the smallest {crnd} + k·{n} (k >= 1) above {highestSeen}. Got {actual}.");
    }
}
