using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// Counts allocated objects (not only bytes) in this process, by type, from the runtime's
/// GCSampledObjectAllocation events: each event stands for ObjectCountForTypeSample objects of one
/// type, so the sum over the events is the number of objects allocated.
/// </summary>
internal sealed class AllocationCounter : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const EventKeywords TypeKeyword = (EventKeywords)0x80000;
    private const EventKeywords SampledAllocationHigh = (EventKeywords)0x200000;

    private readonly ConcurrentDictionary<ulong, string> _typeNames = new();
    private readonly ConcurrentDictionary<ulong, (long Count, long Bytes)> _byType = new();
    private volatile bool _recording;

    public void Start()
    {
        _byType.Clear();
        _recording = true;
    }

    public IReadOnlyDictionary<string, (long Count, long Bytes)> Stop()
    {
        _recording = false;
        return _byType
            .GroupBy(p => _typeNames.TryGetValue(p.Key, out var name) ? name : $"type 0x{p.Key:x}")
            .ToDictionary(g => g.Key, g => (g.Sum(p => p.Value.Count), g.Sum(p => p.Value.Bytes)));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword | TypeKeyword | SampledAllocationHigh);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || e.PayloadNames is null || e.Payload is null)
        {
            return;
        }

        if (e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            // EventListener does not decode BulkType; the allocation ticks name the common types.
            if (Get(e, "TypeName") is string name)
            {
                _typeNames.TryAdd(ToUInt64(Get(e, "TypeID")), name);
            }

            return;
        }

        if (e.EventName.StartsWith("GCSampledObjectAllocation", StringComparison.Ordinal) && _recording)
        {
            var type = ToUInt64(Get(e, "TypeID"));
            var count = (long)ToUInt64(Get(e, "ObjectCountForTypeSample"));
            var bytes = (long)ToUInt64(Get(e, "TotalSizeForTypeSample"));
            _byType.AddOrUpdate(type, (count, bytes), (_, old) => (old.Count + count, old.Bytes + bytes));
        }
    }

    private static ulong ToUInt64(object? value) => value switch
    {
        nint p => (ulong)p,
        nuint p => p,
        ulong u => u,
        long l => (ulong)l,
        uint u => u,
        int i => (ulong)i,
        _ => 0,
    };

    private static object? Get(EventWrittenEventArgs e, string name)
    {
        var i = e.PayloadNames!.IndexOf(name);
        return i < 0 ? null : e.Payload![i];
    }
}
