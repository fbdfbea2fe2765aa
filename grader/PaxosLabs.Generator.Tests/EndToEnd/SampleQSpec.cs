using PaxosLabs.Generator.Tests.Sample;

namespace PaxosLabs.Generator.Tests.EndToEnd;

/// <summary>Quorum functions that wait for <paramref name="quorum"/> replies and say what they saw.</summary>
internal sealed class SampleQSpec(int quorum) : ISampleQSpec
{
    /// <summary>Done with a new value naming the repliers, so a test can tell it from any reply.</summary>
    public (Value? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, Value> replies)
    {
        if (replies.Count < quorum)
        {
            return (null, false);
        }

        return (new Value { Text = string.Join(",", replies.Keys.Order()), Timestamp = replies.Values.Max(v => v.Timestamp) }, true);
    }

    /// <summary>The custom return type: a report of every entry, by node id.</summary>
    public (Report? Result, bool Done) CollectQF(ReadRequest request, IReadOnlyDictionary<uint, Report.Types.Entry> replies)
    {
        if (replies.Count < quorum)
        {
            return (null, false);
        }

        var report = new Report();
        report.Entries.AddRange(replies.OrderBy(r => r.Key).Select(r => r.Value));
        return (report, true);
    }

    /// <summary>Level = number of replies; done at the quorum.</summary>
    public (Value? Result, int Level, bool Done) ReadCorrectableQF(ReadRequest request, IReadOnlyDictionary<uint, Value> replies) =>
        (replies.Values.MaxBy(v => v.Timestamp), replies.Count, replies.Count >= quorum);
}
