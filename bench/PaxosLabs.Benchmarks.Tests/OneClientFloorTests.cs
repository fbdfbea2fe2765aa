using PaxosLabs.Benchmarks;

namespace PaxosLabs.Benchmarks.Tests;

/// <summary>
/// Figure 2's paragraph on one client: two of figure 1's gRPC round trips, set against the peer's
/// p50, say whether the transport alone rules the p50 goal out, from the numbers of the run.
/// </summary>
public sealed class OneClientFloorTests
{
    [Fact]
    public void Two_round_trips_slower_than_the_peer_rule_the_goal_out()
    {
        var text = Paragraph(roundTripMs: 0.105, storeP50Ms: 0.207, peerP50Ms: 0.173);

        Assert.Contains("took 0.105 ms at p50 in this run, so two take", text, StringComparison.Ordinal);
        Assert.Contains("about 0.210 ms. The store's p50 was 0.207 ms and the peer's 0.173 ms", text, StringComparison.Ordinal);
        Assert.Contains("the p50 goal cannot be met without a transport other than gRPC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_round_trips_faster_than_the_peer_leave_the_gap_to_the_replicas()
    {
        var text = Paragraph(roundTripMs: 0.080, storeP50Ms: 0.207, peerP50Ms: 0.173);

        Assert.Contains("the goal is not ruled out by the transport; the difference, 0.047 ms, is the replicas' own work", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be met", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_figure_1_or_a_paired_store_there_is_no_paragraph()
    {
        Assert.Equal("", Paragraph(roundTripMs: null, storeP50Ms: 0.207, peerP50Ms: 0.173));
        Assert.Equal("", Paragraph(roundTripMs: 0.105, storeP50Ms: null, peerP50Ms: 0.173));
    }

    private static string Paragraph(double? roundTripMs, double? storeP50Ms, double peerP50Ms)
    {
        var results = new Results
        {
            Throughput = roundTripMs is { } trip
                ? [new ThroughputRow(3, 1, Contender.HandWrittenStream, At(9000), At(trip), At(trip * 2), At(200), At(7000), 1000, null)]
                : [],
        };
        var peer = new RaftPeerRow(3, 1, At(5000), At(peerP50Ms), At(peerP50Ms * 1.2), At(peerP50Ms * 2), 1000, 0)
        {
            PartnerP50Ms = storeP50Ms is { } store ? At(store) : null,
        };
        var raft = new RaftPeerResult(new RaftPeerOptions(), [], [peer], [], "passed");
        var lines = new List<string>();
        Report.WriteOneClientFloor(results, raft, lines.Add);
        return string.Join('\n', lines);
    }

    private static Spread At(double value) => Spread.Of([value]);
}
