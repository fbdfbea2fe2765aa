using System.Threading.Channels;
using PaxosLabs.Detectors;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage3.Tests;

/// <summary>Tasks 3.3 and 3.4: the leader detector of nodes 0, 1, 2.</summary>
[Trait("Stage", "3")]
public class LeaderDetectorTests
{
    private readonly LeaderDetector _detector = new([0, 1, 2]);

    [Fact]
    [Trait("Task", "3.3")]
    public void The_highest_unsuspected_id_leads()
    {
        Assert.Equal(2, _detector.Leader);
        _detector.Suspect(2);
        Assert.Equal(1, _detector.Leader);
        _detector.Restore(2);
        Assert.Equal(2, _detector.Leader);
    }

    [Fact]
    [Trait("Task", "3.3")]
    public void With_every_node_suspected_there_is_no_leader()
    {
        _detector.Suspect(0);
        _detector.Suspect(1);
        _detector.Suspect(2);
        Assert.Equal(LeaderDetector.NoLeader, _detector.Leader);
    }

    [Fact]
    [Trait("Task", "3.3")]
    public void An_unknown_id_is_ignored()
    {
        _detector.Restore(7);
        Assert.True(_detector.Leader == 2,
            $"The nodes are 0, 1 and 2, and Restore(7) names a node that is not one of them: it is ignored, and node 2 still leads. Expected node 2, got {Name(_detector.Leader)}. Choose the leader among _nodes only, never among ids that were merely mentioned in a Suspect or Restore.");
    }

    [Fact]
    [Trait("Task", "3.4")]
    public void Subscribers_get_changes_only()
    {
        var first = _detector.Subscribe();
        var second = _detector.Subscribe();

        _detector.Suspect(2); // 2 → 1
        _detector.Suspect(0); // no change
        _detector.Restore(2); // 1 → 2

        var number = 0;
        foreach (var reader in new[] { first, second })
        {
            number++;
            var got = Drain(reader);
            Assert.True(got.SequenceEqual([1L, 2L]),
                $"Node 2 was suspected (leader: node 2 -> node 1), then node 0 (node 1 still leads: no change, so nothing is published), then node 2 was restored (node 1 -> node 2). Subscriber #{number} of 2 expected [node 1, node 2], got {Show(got)}. Publish only when the leader changes, to every subscriber.");
        }
    }

    private static string Name(long leader) => leader == LeaderDetector.NoLeader ? "NoLeader (-1)" : $"node {leader}";

    /// <summary>Everything a subscriber can read now, without waiting.</summary>
    private static List<long> Drain(ChannelReader<long> reader)
    {
        var got = new List<long>();
        while (reader.TryRead(out var leader))
        {
            got.Add(leader);
        }

        return got;
    }

    private static string Show(IEnumerable<long> leaders) => $"[{string.Join(", ", leaders.Select(Name))}]";

    [Fact]
    [Trait("Task", "3.4")]
    public void Every_subscriber_is_told_not_only_the_first()
    {
        var readers = new[] { _detector.Subscribe(), _detector.Subscribe(), _detector.Subscribe() };

        _detector.Suspect(2); // the leader changes from node 2 to node 1

        for (var i = 0; i < readers.Length; i++)
        {
            var got = Drain(readers[i]);
            Assert.True(got.SequenceEqual([1L]),
                $"Three subscribers; node 2 was suspected, so the leader changed from node 2 to node 1, and EVERY subscriber must receive node 1. Subscriber #{i + 1} (of {readers.Length}) expected [node 1], got {Show(got)}. Write the change to each channel of _subscribers, not only to the first one.");
        }
    }

    [Fact]
    [Trait("Task", "3.4")]
    public void A_change_to_no_leader_is_published_too()
    {
        var reader = _detector.Subscribe();

        _detector.Suspect(2); // node 2 -> node 1
        _detector.Suspect(1); // node 1 -> node 0
        _detector.Suspect(0); // node 0 -> no leader

        var got = Drain(reader);
        Assert.True(got.SequenceEqual([1L, 0L, LeaderDetector.NoLeader]),
            $"Nodes 2, 1 and 0 were suspected one after the other, so the leader went node 2 -> node 1 -> node 0 -> no leader. The last step is a change too: a subscriber must learn that there is no leader any more. Expected {Show([1L, 0L, LeaderDetector.NoLeader])}, got {Show(got)}.");
    }

    [Fact]
    [Trait("Task", "3.4")]
    public async Task A_subscriber_that_never_reads_stalls_neither_the_detector_nor_the_others()
    {
        const int Changes = 3 * LeaderDetector.DefaultSubscriberCapacity;
        var sleepy = _detector.Subscribe(); // subscribed first, never read until the end
        var reader = _detector.Subscribe();
        var expected = Enumerable.Range(0, Changes).Select(i => i % 2 == 0 ? 1L : 2L).ToList();

        // On another thread, so that a detector that waits for the sleepy subscriber fails this test instead of hanging it.
        var changes = Task.Run(() =>
        {
            var got = new List<long>();
            for (var i = 0; i < Changes; i++)
            {
                if (i % 2 == 0)
                {
                    _detector.Suspect(2); // node 2 -> node 1
                }
                else
                {
                    _detector.Restore(2); // node 1 -> node 2
                }

                got.AddRange(Drain(reader));
            }

            return got;
        });
        var got = await Eventually.WithinAsync(changes,
            $"{Changes} leader changes, with one subscriber that never reads (its buffer holds {LeaderDetector.DefaultSubscriberCapacity}). Publishing must never wait for a subscriber: use Writer.TryWrite, which drops the change for a full subscriber and returns at once");

        Assert.True(got.SequenceEqual(expected),
            $"The leader changed {Changes} times (node 1, node 2, node 1, ...) and a second subscriber read each change as it came; a subscriber that never reads must not cost it anything. Expected {Show(expected)}, got {Show(got)}.");
        var kept = Drain(sleepy);
        Assert.True(kept.SequenceEqual(expected.Take(LeaderDetector.DefaultSubscriberCapacity)),
            $"The subscriber that never read keeps the first {LeaderDetector.DefaultSubscriberCapacity} changes, those that fit in its buffer, in order; the later ones were dropped for it. Expected {Show(expected.Take(LeaderDetector.DefaultSubscriberCapacity))}, got {Show(kept)}.");
    }
}
