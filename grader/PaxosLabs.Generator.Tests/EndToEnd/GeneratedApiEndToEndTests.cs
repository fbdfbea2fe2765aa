using PaxosLabs.Testing;
using StringValue = Google.Protobuf.WellKnownTypes.StringValue;
using PaxosLabs.Gorums;
using PaxosLabs.Generator.Tests.Sample;

namespace PaxosLabs.Generator.Tests.EndToEnd;

/// <summary>
/// The API generated from protos/kitsample.proto when this project was built, called over the
/// in-memory network: every call type reaches the right handlers and returns what the quorum
/// functions decide.
/// </summary>
public sealed class GeneratedApiEndToEndTests : IAsyncLifetime
{
    private readonly SampleCluster _cluster = new(3);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_quorum_call_returns_the_result_of_the_quorum_function()
    {
        var result = await Eventually.WithinAsync(_cluster.Client(quorum: 3).ReadAsync(new ReadRequest { Key = "k" }), "a read from 3 nodes");

        Assert.Equal("0,1,2", result.Text); // built by ReadQF, not any node's reply
        Assert.Equal(20, result.Timestamp);
        Assert.All(_cluster.Servers, s => Assert.Equal(["Read:k"], s.Calls));
    }

    [Fact]
    public async Task A_custom_return_type_comes_back_from_the_quorum_function_and_per_node_arguments_shape_and_skip_requests()
    {
        var client = _cluster.Client(quorum: 2);

        var report = await Eventually.WithinAsync(
            client.CollectAsync(new ReadRequest { Key = "k" }, (request, id) => id == 1 ? null : new ReadRequest { Key = $"{request.Key}@{id}" }),
            "a collect from nodes 0 and 2");

        Assert.IsType<Report>(report);
        Assert.Equal([(0u, "k@0"), (2u, "k@2")], report.Entries.Select(e => (e.Node, e.Key)));
        await Eventually.WithinAsync(_cluster.BarrierAsync(), "a read from all nodes after the collect");
        Assert.Empty(_cluster.Servers[1].CallsOf("Collect"));
    }

    [Fact]
    public async Task A_correctable_call_yields_results_of_increasing_level_until_done()
    {
        var levels = new List<int>();
        Correction<Value>? last = null;
        await foreach (var correction in _cluster.Client(quorum: 3).ReadCorrectableAsync(new ReadRequest { Key = "c" }))
        {
            levels.Add(correction.Level);
            last = correction;
        }

        Assert.Equal([1, 2, 3], levels);
        Assert.True(last!.Value.Done);
        Assert.Equal(20, last.Value.Result.Timestamp);
    }

    [Fact]
    public async Task A_multicast_reaches_every_server()
    {
        await _cluster.Client(quorum: 3).CommitAsync(new Value { Text = "all" });

        await Eventually.WaitAsync(() => _cluster.Servers.All(s => s.CallsOf("Commit").Contains("Commit:all")), "every node handled the commit");
    }

    [Fact]
    public async Task A_multicast_with_per_node_arguments_sends_each_node_its_own_message_and_skips_null()
    {
        await _cluster.Client(quorum: 3).CommitEachAsync(new Value { Text = "v" }, (request, id) => id == 2 ? null : new Value { Text = $"{request.Text}{id}" });
        await Eventually.WithinAsync(_cluster.BarrierAsync(), "a read from all nodes after the multicast");

        Assert.Equal(["CommitEach:v0"], _cluster.Servers[0].CallsOf("CommitEach"));
        Assert.Equal(["CommitEach:v1"], _cluster.Servers[1].CallsOf("CommitEach"));
        Assert.Empty(_cluster.Servers[2].CallsOf("CommitEach"));
    }

    [Fact]
    public async Task A_unicast_reaches_one_server()
    {
        await _cluster.Client(quorum: 3).NotifyAsync(1, new StringValue { Value = "hello" });
        await Eventually.WithinAsync(_cluster.BarrierAsync(), "a read from all nodes after the unicast");

        Assert.Equal(["Notify:hello"], _cluster.Servers[1].CallsOf("Notify"));
        Assert.Empty(_cluster.Servers[0].CallsOf("Notify"));
        Assert.Empty(_cluster.Servers[2].CallsOf("Notify"));
    }

    [Fact]
    public async Task The_server_base_class_dispatches_each_rpc_to_its_handler_in_order()
    {
        var client = _cluster.Client(quorum: 3);
        await client.CommitAsync(new Value { Text = "a" });
        await client.NotifyAsync(0, new StringValue { Value = "b" });
        await client.CollectAsync(new ReadRequest { Key = "c" }, (request, _) => request);
        await client.ReadAsync(new ReadRequest { Key = "d" });

        Assert.Equal(["Commit:a", "Notify:b", "Collect:c", "Read:d"], _cluster.Servers[0].Calls);
        Assert.Equal(["Commit:a", "Collect:c", "Read:d"], _cluster.Servers[1].Calls);
    }

    [Fact]
    public async Task The_client_timeout_is_the_deadline_of_its_quorum_calls()
    {
        foreach (var server in _cluster.Servers)
        {
            server.Hold = new TaskCompletionSource();
        }

        var call = _cluster.Client(quorum: 3, timeout: TimeSpan.FromMilliseconds(100)).ReadAsync(new ReadRequest());
        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(call, "a read past its deadline"));

        Assert.Equal(QuorumCallError.DeadlineExceeded, error.Cause);
        foreach (var server in _cluster.Servers)
        {
            server.Hold!.SetResult();
        }
    }

    [Fact]
    public async Task A_service_with_only_one_way_calls_has_a_client_without_qspec()
    {
        var events = new EventsConfiguration(_cluster.Configuration);
        await events.PublishAsync(new Value { Text = "news" });

        await Eventually.WaitAsync(() => _cluster.EventServers.All(s => s.Published.Contains("news")), "every node got the event");
        Assert.Null(typeof(EventsConfiguration).GetProperty("QSpec"));
        Assert.Null(typeof(EventsConfiguration).Assembly.GetType("PaxosLabs.Generator.Tests.Sample.IEventsQSpec"));
    }

    [Fact]
    public void Methods_carry_their_full_names_and_a_service_without_options_has_no_api()
    {
        Assert.Equal("kitsample.Sample/Read", SampleMethods.Read.FullName);
        Assert.Equal("kitsample.Sample/Notify", SampleMethods.Notify.FullName);
        Assert.Equal("kitsample.Events/Publish", EventsMethods.Publish.FullName);
        Assert.Null(typeof(SampleMethods).Assembly.GetType("PaxosLabs.Generator.Tests.Sample.PlainConfiguration"));
        Assert.Null(typeof(SampleMethods).Assembly.GetType("PaxosLabs.Generator.Tests.Sample.PlainMethods"));
    }
}
