using PaxosLabs.Detectors;

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
        Assert.Equal(2, _detector.Leader);
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

        foreach (var reader in new[] { first, second })
        {
            Assert.True(reader.TryRead(out var a) && a == 1);
            Assert.True(reader.TryRead(out var b) && b == 2);
            Assert.False(reader.TryRead(out _));
        }
    }
}
