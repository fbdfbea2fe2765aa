using System.Diagnostics.Metrics;

namespace PaxosLabs.Gorums;

/// <summary>Counters of the framework, published on the meter "PaxosLabs.Gorums".</summary>
public static class GorumsMetrics
{
    public const string MeterName = "PaxosLabs.Gorums";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Calls = Meter.CreateCounter<long>("paxoslabs.gorums.calls", description: "Calls started");
    internal static readonly Counter<long> Replies = Meter.CreateCounter<long>("paxoslabs.gorums.replies", description: "Replies received");
    internal static readonly Counter<long> Errors = Meter.CreateCounter<long>("paxoslabs.gorums.errors", description: "Node errors seen by calls");
    internal static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("paxoslabs.gorums.call.duration", unit: "ms", description: "Call duration");
}
