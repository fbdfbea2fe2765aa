using PaxosLabs.Benchmarks;

namespace PaxosLabs.Benchmarks.Tests;

/// <summary>
/// Figure 2's goal is judged on the store and the peer measured in the same repetitions: the ratio
/// is taken per repetition, so a repetition in which the machine ran slow for both counts once.
/// </summary>
public sealed class RaftPeerRowsTests
{
    [Fact]
    public void With_a_partner_the_ratio_is_the_median_of_the_repetitions_ratios()
    {
        // The machine slows down in repetition 2: both systems halve, their ratio stays 2.
        RaftPeerRun[] runs =
        [
            Peer(1, commandsPerSecond: 1000, p50Ms: 1.0, partner: Store(2000, p50Ms: 0.5)),
            Peer(2, commandsPerSecond: 500, p50Ms: 2.0, partner: Store(1000, p50Ms: 1.0)),
            Peer(3, commandsPerSecond: 1000, p50Ms: 1.0, partner: Store(1500, p50Ms: 0.8)),
        ];

        var row = Assert.Single(RaftPeer.Rows(3, runs));

        Assert.Equal(1000, row.CommandsPerSecond.Median, precision: 6);
        Assert.Equal(1500, row.PartnerCommandsPerSecond!.Value.Median, precision: 6);
        Assert.Equal(2.0, row.Ratio!.Value.Median, precision: 6); // 2.0, 2.0, 1.5 per repetition; the ratio of the medians would be 1.5
        Assert.Equal(1.5, row.Ratio.Value.Min, precision: 6);
        Assert.Equal(0.5, row.P50Ratio!.Value.Median, precision: 6); // 0.5, 0.5, 0.8
    }

    [Fact]
    public void Without_a_partner_a_row_has_no_ratio()
    {
        var row = Assert.Single(RaftPeer.Rows(3, [Peer(1, 1000, 1.0, partner: null), Peer(2, 900, 1.1, partner: null)]));

        Assert.Null(row.Ratio);
        Assert.Null(row.PartnerCommandsPerSecond);
        Assert.Equal(950, row.CommandsPerSecond.Median, precision: 6);
    }

    private static RaftPeerRun Peer(int repetition, double commandsPerSecond, double p50Ms, LoopRun? partner) =>
        new(3, 16, repetition, (long)commandsPerSecond, TimeSpan.FromSeconds(1), p50Ms, p50Ms * 2, p50Ms * 4, 0) { Partner = partner };

    private static LoopRun Store(double commandsPerSecond, double p50Ms) =>
        new((long)commandsPerSecond, TimeSpan.FromSeconds(1), p50Ms, p50Ms * 2, p50Ms * 4, 50, 10_000, 10);
}
