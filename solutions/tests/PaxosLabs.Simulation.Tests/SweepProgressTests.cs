using PaxosLabs.Simulation;

namespace PaxosLabs.Simulation.Tests;

public class SweepProgressTests
{
    [Fact]
    public void A_long_sweep_reports_each_tenth_with_monotone_counts_ending_at_the_total()
    {
        var clock = new ManualClock();
        var reports = new Reports();

        Sweep.Run("SweepProgressTests.Long", "proj", Seeds(200), FaultProfile.None, options => Pass(options, clock, TimeSpan.FromSeconds(1)), ["a"], reports, "a test sweep", clock);

        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 20), reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal((200, 0, null as long?), (r.Total, r.Failed, r.FailedSeed)));
        Assert.Equal(reports.Select(r => r.Elapsed).Order(), reports.Select(r => r.Elapsed));
        Assert.Equal("a test sweep: 200 of 200 seeds run (100 %), 0 failed, 200 s", reports[^1].ToString());
        Assert.Equal("a test sweep: 40 of 200 seeds run (20 %), 0 failed, 40 s", reports[1].ToString());
    }

    [Fact]
    public void Reports_come_at_most_every_few_seconds_and_a_quick_sweep_reports_nothing()
    {
        var clock = new ManualClock();
        var reports = new Reports();

        // 100 seeds of 0.1 s: a tenth takes 1 s, so only every third tenth is due, and the end.
        Sweep.Run("SweepProgressTests.Paced", "proj", Seeds(100), FaultProfile.None, options => Pass(options, clock, TimeSpan.FromSeconds(0.1)), ["a"], reports, "paced", clock);
        Assert.Equal([30, 60, 90, 100], reports.Select(r => r.Done));
        Assert.All(reports.Zip(reports.Skip(1)).SkipLast(1), pair => Assert.True(pair.Second.Elapsed - pair.First.Elapsed >= Sweep.ProgressInterval));

        var quick = new Reports();
        Sweep.Run("SweepProgressTests.Quick", "proj", Seeds(100), FaultProfile.None, options => Pass(options, clock, TimeSpan.FromMilliseconds(20)), ["a"], quick, "quick", clock);
        Assert.Empty(quick);
    }

    [Fact]
    public void A_failing_seed_is_reported_before_the_sweep_minimizes_it_and_throws()
    {
        var clock = new ManualClock();
        var reports = new Reports();

        var error = Assert.Throws<SimulationFailedException>(() => Sweep.Run("SweepProgressTests.Failing", "proj", Seeds(50), FaultProfile.None,
            options => options.Seed == 37 ? new SimulationOutcome(new Simulator(options), "seed 37 breaks") : Pass(options, clock, TimeSpan.FromSeconds(1)), ["a"], reports, "failing", clock));

        Assert.Contains("seed 37 breaks", error.Message, StringComparison.Ordinal);
        Assert.Equal([5, 10, 15, 20, 25, 30, 35, 37], reports.Select(r => r.Done));
        var last = reports[^1];
        Assert.Equal((37L, 1), (last.FailedSeed, last.Failed));
        Assert.StartsWith("failing: seed 37 failed (37 of 50 seeds run, 36 s); replaying it with fewer faults", last.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 20)]
    [InlineData("300", 300)]
    [InlineData(" 7 ", 7)]
    [InlineData("0", 20)]
    [InlineData("-3", 20)]
    [InlineData("many", 20)]
    public void The_seed_count_setting_replaces_the_default_only_with_a_positive_number(string setting, int expected)
    {
        Assert.Equal(expected, Sweep.SeedCount(20, setting));
    }

    private static IEnumerable<long> Seeds(int count) => Enumerable.Range(1, count).Select(i => (long)i);

    private static SimulationOutcome Pass(SimulationOptions options, ManualClock clock, TimeSpan took)
    {
        clock.Advance(took);
        return new SimulationOutcome(new Simulator(options), null);
    }

    private sealed class Reports : List<SweepProgress>, IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => Add(value);
    }

    /// <summary>A wall clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan span) => _ticks += span.Ticks;
    }
}
