using PaxosLabs.Gorums;
using PaxosLabs.Simulation;
using PaxosLabs.Storage;

namespace PaxosLabs.Simulation.Tests;

public class FaultTests
{
    [Fact]
    public async Task A_crashed_minority_does_not_stop_quorum_calls()
    {
        var world = new StorageWorld(11);
        world.Sim.Crash("s2");
        var read = world.WriteThenRead(3);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 100_000));
        Assert.Equal(3, (await read).Timestamp);
        Assert.Contains(world.Sim.Trace.Events, e => e.Kind == TraceKind.Crash && e.Node == "s2");
    }

    [Fact]
    public void A_partitioned_majority_makes_calls_miss_their_deadline_in_virtual_time()
    {
        var world = new StorageWorld(12);
        world.Sim.Partition(["c"], ["s0", "s1"]);
        var write = world.Sim.InvokeAsync("c", () => world.Client.WriteAsync(new State { Timestamp = 1 }));
        Assert.True(world.Sim.RunUntil(() => write.IsCompleted, 100_000));
        var error = Assert.IsType<QuorumCallException>(write.Exception?.InnerException);
        Assert.Equal(QuorumCallError.DeadlineExceeded, error.Cause);
        Assert.True(world.Sim.Now >= TimeSpan.FromSeconds(1));
        Assert.Contains(world.Sim.Trace.Events, e => e.Kind == TraceKind.Drop && e.Detail == "partitioned");
    }

    [Fact]
    public void A_restarted_node_comes_back_with_fresh_state_and_is_used_again()
    {
        var world = new StorageWorld(13);
        var first = world.WriteThenRead(2);
        Assert.True(world.Sim.RunUntil(() => first.IsCompleted, 100_000));

        world.Sim.Crash("s0");
        world.Sim.Restart("s0");
        Assert.Equal(0, world.Sim["s0"].Get<StorageServer>().State.Timestamp);

        var write = world.Sim.InvokeAsync("c", () => world.Client.WriteAsync(new State { Timestamp = 9 }));
        Assert.True(world.Sim.RunUntil(() => world.Sim["s0"].Get<StorageServer>().State.Timestamp == 9, 100_000),
            "the client should reach the restarted node s0 again");
        Assert.True(world.Sim.RunUntil(() => write.IsCompleted, 100_000));
    }

    [Fact]
    public void Lossy_networks_drop_and_duplicate_until_they_become_stable()
    {
        var world = new StorageWorld(14, FaultProfile.Lossy with { StableAfter = TimeSpan.FromMilliseconds(300) });
        var read = world.WriteThenRead(40);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 1_000_000));
        var events = world.Sim.Trace.Events;
        Assert.Contains(events, e => e.Kind == TraceKind.Drop && e.Detail == "lost");
        Assert.Contains(events, e => e.Kind == TraceKind.Duplicate);
        Assert.DoesNotContain(events, e => e.Kind is TraceKind.Drop or TraceKind.Duplicate && e.Time > TimeSpan.FromMilliseconds(300) && e.Detail != "receiver down");
    }

    [Fact]
    public void A_paused_node_takes_no_steps_until_resumed()
    {
        var world = new StorageWorld(15);
        world.Sim.Pause("s1");
        var read = world.WriteThenRead(3);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 100_000));
        Assert.Equal(0, world.Sim["s1"].Get<StorageServer>().State.Timestamp);

        world.Sim.Resume("s1");
        Assert.True(world.Sim.RunUntil(() => world.Sim["s1"].Get<StorageServer>().State.Timestamp == 3, 100_000));
    }
}

public class TraceStatisticsTests
{
    [Fact]
    public void Statistics_count_events_by_kind_and_messages_by_method()
    {
        var world = new StorageWorld(21, FaultProfile.Lossy);
        world.Sim.Crash("s1");
        var read = world.WriteThenRead(10);
        Assert.True(world.Sim.RunUntil(() => read.IsCompleted, 1_000_000));

        var stats = world.Sim.Trace.Statistics();
        var events = world.Sim.Trace.Events;
        Assert.Equal(events.Count(e => e.Kind == TraceKind.Send), stats.Count(TraceKind.Send));
        Assert.Equal(1, stats.Count(TraceKind.Crash));
        Assert.Equal(stats.Count(TraceKind.Send), stats.SentByMethod.Values.Sum());
        Assert.True(stats.SentByMethod["Write"] >= 20, "ten writes to two live servers send at least 20 Write requests");
        Assert.Contains(" messages sent, ", stats.ToString(), StringComparison.Ordinal);
    }
}

public class FaultScheduleTests
{
    [Fact]
    public void A_random_schedule_is_drawn_from_the_seed_and_shows_in_the_trace()
    {
        string[] Draw(int seed)
        {
            var world = new StorageWorld(seed);
            var schedule = FaultSchedule.Random(world.Sim, ["s0", "s1", "s2"], 1, 1, TimeSpan.FromMilliseconds(100), new Random(seed));
            world.Sim.RunFor(TimeSpan.FromMilliseconds(200), 100_000);
            Assert.Contains(world.Sim.Trace.Events, e => e.Kind == TraceKind.Crash);
            Assert.Contains(world.Sim.Trace.Events, e => e.Kind == TraceKind.Partition);
            Assert.Equal(1, world.Sim.Nodes.Count(n => !n.IsUp));
            return [.. schedule];
        }

        Assert.Equal(Draw(5), Draw(5));
        Assert.Throws<ArgumentException>(() => FaultSchedule.Random(new StorageWorld(1).Sim, ["s0"], 1, 1, TimeSpan.FromSeconds(1), new Random(1)));
    }
}
