using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
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
    [Trait("Task", "1.1")]
    public async Task The_quorum_function_runs_after_each_reply_and_the_call_returns_at_the_first_done()
    {
        var seen = new List<int>();
        var client = new StorageConfiguration(_cluster.Configuration, new CountingQSpec(seen));
        await Eventually.WithinAsync(client.ReadAsync(new ReadRequest()), "a read from 3 nodes");
        lock (seen)
        {
            Assert.True(seen.SequenceEqual([1, 2]),
                $"With 3 nodes and a quorum of 2, the quorum function must see 1 reply, then 2 (it runs after each reply, on all replies so far), and the call return there; it saw reply counts [{string.Join(", ", seen)}].");
        }
    }

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_call_that_returned_at_a_quorum_is_forgotten_at_the_node_that_has_not_answered()
    {
        var hold = new TaskCompletionSource();
        await using var cluster = new InMemoryCluster<StorageServerBase>(3, id => id == 2 ? new HeldStorage(hold.Task) : new StorageServer());
        var client = new StorageConfiguration(cluster.Configuration, new StorageQSpec(3));
        await Eventually.WithinAsync(client.ReadAsync(new ReadRequest()), "a read answered by nodes 0 and 1 (node 2 holds its reply back)");
        var pending = cluster.Configuration.GetNode(2).PendingCalls;
        hold.SetResult();
        Assert.True(pending == 0,
            $"The call returned at a quorum (nodes 0 and 1), but node 2, which has not answered yet, still has {pending} pending call(s): dispose the call on every path (using var call = …), so that its late reply finds nothing.");
    }

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_read_issued_before_a_multicast_is_handled_first_at_every_node()
    {
        var read = Client.ReadAsync(new ReadRequest()); // issued, not awaited yet
        var multicast = Client.WriteAllAsync(new State { Value = "later", Timestamp = 9 });
        var state = await Eventually.WithinAsync(read, "a read from 3 nodes");
        await multicast;
        Assert.True(state.Timestamp == 0,
            $"The read was issued before the multicast of timestamp 9, so every node handles it first (FIFO per sender) and it returns timestamp 0; it returned timestamp {state.Timestamp}. Send the request (StartCall) before the first await.");
    }

    [Fact]
    [Trait("Task", "1.1")]
    public async Task A_node_that_failed_in_an_earlier_call_is_asked_again()
    {
        _cluster.Stop(0);
        await Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read with node 0 stopped");
        _cluster.Start(0);
        _cluster.Stop(1);
        var error = await Record.ExceptionAsync(() => Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read with node 0 back and node 1 stopped"));
        Assert.True(error is null,
            $"Node 0 failed in the previous call but is back: every call starts fresh and asks every node, so nodes 0 and 2 form a quorum; the read failed with: {error?.Message}");
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
    public async Task A_read_issued_after_a_multicast_sees_it()
    {
        var multicast = Client.WriteAllAsync(new State { Value = "first", Timestamp = 9 }); // issued, not awaited yet
        var state = await Eventually.WithinAsync(Client.ReadAsync(new ReadRequest()), "a read from 3 nodes");
        await multicast;
        Assert.True(state.Timestamp == 9,
            $"The multicast of timestamp 9 was issued before the read, so every node handles it first (FIFO per sender) and the read returns timestamp 9; it returned timestamp {state.Timestamp}. Send every message of a multicast before returning, without awaiting anything.");
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

    /// <summary>The storage QSpec, noting how many replies each evaluation of ReadQF saw.</summary>
    private sealed class CountingQSpec(List<int> seen) : IStorageQSpec
    {
        private readonly StorageQSpec _inner = new(3);

        public (State? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, State> replies)
        {
            lock (seen)
            {
                seen.Add(replies.Count);
            }

            return _inner.ReadQF(request, replies);
        }

        public (WriteResponse? Result, bool Done) WriteQF(State request, IReadOnlyDictionary<uint, WriteResponse> replies) => _inner.WriteQF(request, replies);
    }

    /// <summary>A storage node whose reads wait until the test lets them go.</summary>
    private sealed class HeldStorage(Task hold) : StorageServerBase
    {
        public override async Task<State> Read(ReadRequest request, ServerContext context)
        {
            await hold;
            return new State();
        }

        public override Task<WriteResponse> Write(State request, ServerContext context) => Task.FromResult(new WriteResponse());

        public override Task WriteAll(State request, ServerContext context) => Task.CompletedTask;
    }
}
