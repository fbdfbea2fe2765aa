using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.Gorums.Tests;

/// <summary>What a node tells about its link while the manager runs, and calls other than the quorum call.</summary>
public sealed class NodeHealthTests : IAsyncDisposable
{
    private readonly InMemoryCluster<StorageServer> _cluster = new(3, _ => new StorageServer());

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_stopped_node_reports_broken_with_its_error_and_ready_again_after_restart()
    {
        var node = _cluster.Configuration.GetNode(1);
        Assert.Equal(LinkState.Ready, node.State);

        _cluster.Stop(1);
        Assert.Equal(LinkState.Broken, node.State);
        Assert.Contains("stopped", node.LastError?.Message, StringComparison.Ordinal);

        _cluster.Start(1);
        await Eventually.WaitAsync(() => node.State == LinkState.Ready, "node 1 to be ready again");
    }

    [Fact]
    public async Task A_stopped_node_is_named_once_in_each_error_however_many_calls_it_refused()
    {
        _cluster.Stop(1);
        var failures = new List<Exception>();
        for (var call = 0; call < 4; call++)
        {
            using var pending = _cluster.Configuration.StartCall(StorageMethods.Read, new ReadRequest());
            for (var reply = 0; reply < pending.Contacted; reply++)
            {
                var next = await Eventually.WithinAsync(pending.NextAsync().AsTask(), $"reply {reply + 1} of call {call + 1}");
                if (next.Error is not null)
                {
                    failures.Add(next.Error);
                }
            }
        }

        Assert.Equal(4, failures.Count);
        Assert.All(failures, error =>
        {
            var refused = Assert.IsType<NodeException>(error);
            Assert.Equal("node 1: not connected: the node at node-1 stopped", refused.Message);
            Assert.Equal("not connected: the node at node-1 stopped", refused.Reason);
            Assert.IsType<IOException>(refused.InnerException);
        });
        Assert.Contains("stopped", _cluster.Configuration.GetNode(1).LastError?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not connected", _cluster.Configuration.GetNode(1).LastError?.Message, StringComparison.Ordinal);

        var incomplete = new QuorumCallException(QuorumCallError.Incomplete, 2, new Dictionary<uint, Exception> { [1] = failures[^1], [2] = new IOException("down") });
        Assert.Equal("quorum call Incomplete: 2 replies; failed nodes: node 1 (not connected: the node at node-1 stopped), node 2 (down)", incomplete.Message);
    }

    [Fact]
    public async Task A_unicast_reaches_only_its_node()
    {
        await OneWay.UnicastAsync(_cluster.Configuration.GetNode(2), StorageMethods.WriteAll, new State { Value = "only-2", Timestamp = 5 });
        await Eventually.WaitAsync(() => _cluster[2].State.Timestamp == 5, "node 2 to store the unicast value");
        Assert.Equal(0, _cluster[0].State.Timestamp);
        Assert.Equal(0, _cluster[1].State.Timestamp);
    }

    [Fact]
    public async Task A_correctable_call_yields_better_results_until_done()
    {
        for (uint id = 0; id < 3; id++)
        {
            await OneWay.UnicastAsync(_cluster.Configuration.GetNode(id), StorageMethods.WriteAll, new State { Value = $"v{id}", Timestamp = id + 1 });
            var server = _cluster[id];
            var expected = id + 1;
            await Eventually.WaitAsync(() => server.State.Timestamp == expected, $"node {id} to store its value");
        }

        var levels = new List<int>();
        await foreach (var correction in CorrectableCall.InvokeAsync(_cluster.Configuration, StorageMethods.Read, new ReadRequest(),
            (ReadRequest _, IReadOnlyDictionary<uint, State> replies) => (replies.Values.MaxBy(s => s.Timestamp), replies.Count, replies.Count == 3)))
        {
            levels.Add(correction.Level);
            if (correction.Done)
            {
                Assert.Equal(3, correction.Result.Timestamp);
            }
        }

        Assert.Equal([1, 2, 3], levels);
    }

    [Fact]
    public async Task Latency_is_measured_once_replies_arrive()
    {
        var client = new StorageConfiguration(_cluster.Configuration, new StorageQSpec(3));
        await Eventually.WithinAsync(client.ReadAsync(new ReadRequest()), "a read");
        await Eventually.WaitAsync(() => _cluster.Configuration.Count(n => n.Latency is not null) >= 2, "latency estimates of a quorum of nodes");
    }
}
