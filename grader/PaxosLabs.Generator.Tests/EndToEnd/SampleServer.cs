using System.Collections.Concurrent;
using StringValue = Google.Protobuf.WellKnownTypes.StringValue;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Generator.Tests.Sample;

namespace PaxosLabs.Generator.Tests.EndToEnd;

/// <summary>A Sample node: it answers with its id and records every handler call.</summary>
internal sealed class SampleServer(uint id) : SampleServerBase
{
    public uint Id { get; } = id;

    /// <summary>"Handler:detail" for each call, in the order the handlers ran.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, reads wait for it (to let a deadline pass).</summary>
    public TaskCompletionSource? Hold { get; set; }

    public override async Task<Value> Read(ReadRequest request, ServerContext context)
    {
        Calls.Enqueue($"Read:{request.Key}");
        if (Hold is { } hold)
        {
            context.Release();
            await hold.Task;
        }

        return new Value { Text = $"node {Id}", Timestamp = Id * 10 };
    }

    public override Task<Report.Types.Entry> Collect(ReadRequest request, ServerContext context)
    {
        Calls.Enqueue($"Collect:{request.Key}");
        return Task.FromResult(new Report.Types.Entry { Node = Id, Key = request.Key });
    }

    public override Task<Value> ReadCorrectable(ReadRequest request, ServerContext context)
    {
        Calls.Enqueue($"ReadCorrectable:{request.Key}");
        return Task.FromResult(new Value { Text = $"node {Id}", Timestamp = Id * 10 });
    }

    public override Task Commit(Value request, ServerContext context)
    {
        Calls.Enqueue($"Commit:{request.Text}");
        return Task.CompletedTask;
    }

    public override Task CommitEach(Value request, ServerContext context)
    {
        Calls.Enqueue($"CommitEach:{request.Text}");
        return Task.CompletedTask;
    }

    public override Task Notify(StringValue request, ServerContext context)
    {
        Calls.Enqueue($"Notify:{request.Value}");
        return Task.CompletedTask;
    }

    public IEnumerable<string> CallsOf(string handler) =>
        Calls.Where(c => c.StartsWith(handler + ":", StringComparison.Ordinal));
}

/// <summary>An Events node: it records what was published to it.</summary>
internal sealed class EventsServer : EventsServerBase
{
    public ConcurrentQueue<string> Published { get; } = new();

    public override Task Publish(Value request, ServerContext context)
    {
        Published.Enqueue(request.Text);
        return Task.CompletedTask;
    }
}
