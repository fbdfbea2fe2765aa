using PaxosLabs.Gorums;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage1.Tests;

/// <summary>Tasks 1.1–1.3: the quorum call and multicast, on three in-memory storage nodes.</summary>
[Trait("Stage", "1")]
public sealed class QuorumCallTests : IAsyncDisposable
{
    private readonly InMemoryCluster<StorageServer> _cluster = new(3, _ => new StorageServer());

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private StorageConfiguration Client => new(_cluster.Configuration, new StorageQSpec(3));

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_write_then_a_read_returns_the_written_value()
    {
        var write = await Eventually.WithinAsync(Client.WriteAsync(new State { Value = "hello", Timestamp = 1 }), "a write to 3 nodes");
        Assert.True(write.New, "Every node is empty, so the write is new.");

        var read = await Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read from 3 nodes");
        Assert.Equal("hello", read.Value);
    }

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_call_fails_Incomplete_when_a_quorum_is_out_of_reach()
    {
        _cluster.Stop(0);
        _cluster.Stop(1);

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read with 2 of 3 nodes stopped"));
        Assert.Equal(QuorumCallError.Incomplete, error.Cause);
        Assert.Equal(1, error.ReplyCount);
        Assert.True(error.NodeErrors.ContainsKey(0) && error.NodeErrors.ContainsKey(1), "Nodes 0 and 1 are stopped; both errors belong in NodeErrors.");
    }

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_finished_call_leaves_no_pending_state()
    {
        await Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read from 3 nodes");
        Assert.All(_cluster.Configuration, node => Assert.Equal(0, node.PendingCalls));
    }

    [Fact]
    [Trait("Task", "1.2")]
    public async Task A_call_cancelled_before_it_starts_is_Cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Client.ReadAsync(new ReadRequest(), cts.Token));
        Assert.Equal(QuorumCallError.Cancelled, error.Cause);
    }

    [Fact]
    [Trait("Task", "1.3")]
    public async Task A_multicast_reaches_all_three_nodes()
    {
        await Client.WriteAllAsync(new State { Value = "everyone", Timestamp = 7 });

        for (uint id = 0; id < 3; id++)
        {
            var node = _cluster[id];
            await Eventually.WaitAsync(() => node.State.Timestamp == 7, $"node {id} to store the multicast value");
        }
    }
}
