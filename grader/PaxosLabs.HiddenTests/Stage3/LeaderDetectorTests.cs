using System.Threading.Channels;
using PaxosLabs.Detectors;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage3;

/// <summary>The monarchical leader detector: the leader rule (3.3) and the publication rules (3.4).</summary>
public class LeaderDetectorTests
{
    private const long None = LeaderDetector.NoLeader;

    private static string Name(long leader) => leader == None ? "NoLeader (-1)" : $"node {leader}";

    /// <summary>"suspect 3" or "restore 3".</summary>
    private static void Apply(LeaderDetector detector, string action)
    {
        var id = uint.Parse(action.AsSpan(action.IndexOf(' ') + 1), provider: System.Globalization.CultureInfo.InvariantCulture);
        if (action.StartsWith("suspect", StringComparison.Ordinal))
        {
            detector.Suspect(id);
        }
        else
        {
            detector.Restore(id);
        }
    }

    private static void Step(LeaderDetector detector, string action, long expected, string why)
    {
        Apply(detector, action);
        Assert.True(detector.Leader == expected,
            $"Nodes [{string.Join(", ", detector.Nodes)}], after {action}: the leader must be {Name(expected)}, it is {Name(detector.Leader)}. {why}");
    }

    private static List<long> Drain(ChannelReader<long> reader)
    {
        var items = new List<long>();
        while (reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    private static string Show(IEnumerable<long> publications)
    {
        var list = publications.ToList();
        return list.Count == 0 ? "(nothing)" : "[" + string.Join(", ", list) + "]";
    }

    [Fact]
    [Graded("3.3", 3)]
    public void The_leader_is_the_highest_id_that_is_not_suspected()
    {
        var detector = new LeaderDetector([1, 3, 0, 2]);
        Step(detector, "suspect 3", 2, "3 is suspected: the highest unsuspected id is 2.");
        Step(detector, "suspect 1", 2, "Suspecting a lower id does not change the leader.");
        Step(detector, "suspect 2", 0, "3, 2 and 1 are suspected: 0 is left.");
        Step(detector, "restore 3", 3, "3 is restored and is the highest id again.");
        Step(detector, "restore 1", 3, "Restoring a lower id does not change the leader.");
        Step(detector, "suspect 3", 1, "3 and 2 are suspected: the highest unsuspected id is 1.");
    }

    [Fact]
    [Graded("3.3", 2)]
    public void Unknown_ids_are_ignored_and_repeats_are_idempotent()
    {
        var detector = new LeaderDetector([0, 1, 2]);
        Step(detector, "restore 9", 2, "Node 9 is not one of the nodes: restoring it changes nothing (it never leads).");
        Step(detector, "suspect 9", 2, "Node 9 is not one of the nodes: suspecting it changes nothing.");
        Assert.True(detector.Suspected.Count == 0, $"Unknown ids are never recorded; Suspected is [{string.Join(", ", detector.Suspected)}].");

        Step(detector, "suspect 2", 1, "2 is suspected.");
        Step(detector, "suspect 2", 1, "Suspecting 2 again changes nothing.");
        Step(detector, "restore 2", 2, "One restoration undoes any number of suspicions: suspicion is a set, not a counter.");
        Step(detector, "restore 2", 2, "Restoring 2 again changes nothing.");
        Step(detector, "restore 1", 2, "Restoring a node that was never suspected changes nothing.");
        Step(detector, "suspect 2", 1, "2 is suspected again.");
    }

    [Fact]
    [Graded("3.3", 2)]
    public void With_every_node_suspected_there_is_no_leader()
    {
        var detector = new LeaderDetector([4, 7]);
        Step(detector, "suspect 7", 4, "7 is suspected.");
        Step(detector, "suspect 4", None, "Every node is suspected: there is no leader (LeaderDetector.NoLeader).");
        Step(detector, "suspect 4", None, "Still none.");
        Step(detector, "restore 4", 4, "4 is back.");
    }

    [Fact]
    [Graded("3.4", 3)]
    public void Every_subscriber_gets_each_change_of_leader_and_only_the_changes()
    {
        var detector = new LeaderDetector([0, 1, 2]);
        var readers = new[] { detector.Subscribe(), detector.Subscribe(), detector.Subscribe() };

        string[] actions = ["suspect 0", "suspect 2", "suspect 2", "restore 0", "suspect 1", "suspect 0", "suspect 0", "restore 1", "restore 2"];
        long[] expected = [1, 0, None, 1, 2];
        foreach (var action in actions)
        {
            Apply(detector, action);
        }

        for (var i = 0; i < readers.Length; i++)
        {
            var got = Drain(readers[i]);
            Assert.True(got.SequenceEqual(expected),
                $"Subscriber {i + 1} of 3, nodes [0, 1, 2], after {string.Join(", ", actions)}: the leader went 2 → 1 → 0 → none → 1 → 2, so it must receive {Show(expected)} " +
                $"(a publication per change, NoLeader (-1) included, nothing when the leader stays the same), but it received {Show(got)}.");
        }
    }

    [Fact]
    [Graded("3.4", 2)]
    public async Task A_full_subscriber_does_not_block_the_detector_nor_the_others()
    {
        var detector = new LeaderDetector([0, 1, 2, 3]);
        var slow = detector.Subscribe(); // never read until the end
        var fast = detector.Subscribe();
        var changes = 3 * LeaderDetector.DefaultSubscriberCapacity;

        var work = Task.Run(() =>
        {
            var missed = new List<string>();
            for (var i = 0; i < changes; i++)
            {
                var expected = i % 2 == 0 ? 2L : 3L;
                if (i % 2 == 0)
                {
                    detector.Suspect(3);
                }
                else
                {
                    detector.Restore(3);
                }

                var got = Drain(fast);
                if (!got.SequenceEqual([expected]))
                {
                    missed.Add($"change #{i + 1} (leader {expected}): {Show(got)}");
                }
            }

            return missed;
        });

        var problems = await Eventually.WithinAsync(work,
            $"{changes} leader changes with one subscriber that never reads (buffer of {LeaderDetector.DefaultSubscriberCapacity}): publishing must never wait for a full subscriber");
        Assert.True(problems.Count == 0,
            $"The subscriber that reads must get every change at once even though another subscriber's buffer is full; it got: {string.Join("; ", problems)}.");

        var buffered = Drain(slow);
        Assert.True(buffered.Count == LeaderDetector.DefaultSubscriberCapacity && buffered.SequenceEqual(Enumerable.Range(0, buffered.Count).Select(i => i % 2 == 0 ? 2L : 3L)),
            $"The slow subscriber's buffer holds {LeaderDetector.DefaultSubscriberCapacity}: it keeps the first {LeaderDetector.DefaultSubscriberCapacity} changes and the rest are dropped; it holds {Show(buffered)}.");
    }
}
