using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage1;

/// <summary>The quorum call (tasks 1.1 and 1.2) on the in-memory transport.</summary>
public sealed class QuorumCallTests : IAsyncDisposable
{
    private InMemoryCluster<ProbeStorage> _cluster = new(3, id => new ProbeStorage(id));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private StorageConfiguration Client(IStorageQSpec qspec, TimeSpan? timeout = null) =>
        new(_cluster.Configuration, qspec) { Timeout = timeout };

    private void AssertNoPendingCalls(string when)
    {
        foreach (var node in _cluster.Configuration)
        {
            Assert.True(node.PendingCalls == 0, $"{when}: node {node.Id} still has {node.PendingCalls} pending call(s). A finished quorum call must leave no pending state (dispose the call on every path).");
        }
    }

    [Fact]
    [Graded("1.1", 3)]
    public async Task The_quorum_function_sees_a_growing_reply_map_and_the_call_returns_at_the_first_done()
    {
        _cluster[2].Hold = new TaskCompletionSource();
        var qspec = ProbeQSpec.DoneAt(2);

        var result = await Eventually.WithinAsync(Client(qspec).ReadAsync(new ReadRequest()), "a read that needs 2 of 3 replies (node 2 is held up)");

        Assert.NotNull(result);
        Assert.True(qspec.Seen.SequenceEqual([1, 2]), $"The quorum function must be evaluated after each reply on all replies so far: expected to see 1 then 2 replies, saw [{string.Join(", ", qspec.Seen)}].");
        _cluster[2].Hold!.SetResult();
    }

    [Fact]
    [Graded("1.1", 3)]
    public async Task Late_replies_are_dropped_and_leave_no_pending_state()
    {
        _cluster[2].Hold = new TaskCompletionSource();
        var first = ProbeQSpec.DoneAt(2);
        await Eventually.WithinAsync(Client(first).ReadAsync(new ReadRequest()), "a read that needs 2 of 3 replies");
        AssertNoPendingCalls("Right after the call returned");

        _cluster[2].Hold!.SetResult();
        // Node 2 now answers the finished call. A second call to all nodes returns after that
        // late reply, because each node's stream is FIFO.
        await Eventually.WithinAsync(Client(ProbeQSpec.DoneAt(3)).ReadAsync(new ReadRequest()), "a read from all 3 nodes");

        Assert.True(first.Seen.SequenceEqual([1, 2]), $"A reply that arrives after the call returned must be dropped, not given to the quorum function: it saw [{string.Join(", ", first.Seen)}].");
        AssertNoPendingCalls("After the late reply arrived");
    }

    [Fact]
    [Graded("1.1", 3)]
    public async Task A_stopped_node_makes_the_call_Incomplete_with_its_error()
    {
        _cluster.Stop(1);

        var error = await IncompleteAsync(ProbeQSpec.DoneAt(3), "a read that can never reach 3 replies (node 1 is stopped)");

        Assert.True(error.Cause == QuorumCallError.Incomplete, $"Every node answered or failed without a quorum, so the cause must be Incomplete, not {error.Cause}.");
        Assert.True(error.ReplyCount == 2, $"Nodes 0 and 2 replied; the exception says {error.ReplyCount} replies.");
        Assert.True(error.NodeErrors.ContainsKey(1), $"Node 1 is stopped; its error must be in NodeErrors (has: {string.Join(", ", error.NodeErrors.Keys)}).");
        AssertNoPendingCalls("After an Incomplete call");
    }

    [Fact]
    [Graded("1.1", 2)]
    public async Task A_handler_that_throws_is_reported_as_that_nodes_error_and_never_counts_as_a_reply()
    {
        _cluster[0].Failure = new InvalidOperationException("disk on fire");

        var error = await IncompleteAsync(ProbeQSpec.DoneAt(3), "a read where node 0 fails");
        Assert.True(error.Cause == QuorumCallError.Incomplete, $"Node 0 failed and nodes 1 and 2 replied, short of the 3 replies the quorum function wants, so the cause must be Incomplete, not {error.Cause}.");
        Assert.True(error.NodeErrors.TryGetValue(0, out var nodeError) && nodeError.Message.Contains("disk on fire", StringComparison.Ordinal),
            "Node 0's handler threw 'disk on fire'; that error must be node 0's entry in NodeErrors.");

        var qspec = ProbeQSpec.DoneAt(2);
        await Eventually.WithinAsync(Client(qspec).ReadAsync(new ReadRequest()), "a read that needs 2 of the 2 healthy nodes");
        var seen = qspec.SeenNodes;
        var withNode0 = seen.Select((nodes, i) => (Nodes: nodes, Number: i + 1)).FirstOrDefault(e => e.Nodes.Contains(0u));
        Assert.True(withNode0.Nodes is null,
            $"Node 0's handler threw, so node 0 has no reply and must never be in the replies given to the quorum function; its evaluation number {withNode0.Number} had replies from nodes {{{string.Join(", ", withNode0.Nodes ?? [])}}} (all evaluations, as node ids: {qspec.Show()}).");
        Assert.True(qspec.Seen.SequenceEqual([1, 2]), $"Nodes 1 and 2 replied and node 0 failed: the quorum function must run once after each of the two replies, on all replies so far, so it should see 1 reply and then 2. It ran {seen.Count} time(s) and saw {qspec.Show()} (node ids per evaluation){Hint(qspec.Seen)}.");
    }

    /// <summary>Why a sequence of reply counts differs from "1, then 2", in words.</summary>
    private static string Hint(IReadOnlyList<int> counts) =>
        counts.Count == 1 ? ": it must run after each reply, not once when every node has answered"
        : counts.Zip(counts.Skip(1)).Any(p => p.Second <= p.First) || counts[0] == 0 ? ": one of its evaluations came without a new reply (a failure is not a reply: record the node's error and wait for the next reply)"
        : "";

    /// <summary>Reads with <paramref name="qspec"/>, expecting a QuorumCallException; first reports the probe's finding if a failed node reached it.</summary>
    private async Task<QuorumCallException> IncompleteAsync(ProbeQSpec qspec, string what)
    {
        var error = await Record.ExceptionAsync(() => Eventually.WithinAsync(Client(qspec).ReadAsync(new ReadRequest()), what));
        qspec.AssertNoFailedNodeReached();
        return error as QuorumCallException ?? throw Xunit.Sdk.FailException.ForFailure(
            $"Expected {what} to fail with a QuorumCallException, but {(error is null ? "it returned a result" : $"it threw {error.GetType().Name}: {error.Message}")}. Quorum function evaluations, as node ids: {qspec.Show()}.");
    }

    [Fact]
    [Graded("1.2", 2)]
    public async Task Cancelling_fails_the_call_as_Cancelled_and_clears_its_pending_state()
    {
        foreach (var id in new uint[] { 0, 1, 2 })
        {
            _cluster[id].Hold = new TaskCompletionSource();
        }

        using var cts = new CancellationTokenSource();
        var call = Client(ProbeQSpec.DoneAt(2)).ReadAsync(new ReadRequest(), cts.Token);
        await Eventually.WaitAsync(() => call.IsCompleted || _cluster[0].Reads + _cluster[1].Reads + _cluster[2].Reads == 3, "all 3 nodes received the read");
        await cts.CancelAsync();

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(call, "a cancelled read"));
        Assert.True(error.Cause == QuorumCallError.Cancelled, $"The caller cancelled, so the cause must be Cancelled, not {error.Cause}.");
        AssertNoPendingCalls("Right after cancellation");
    }

    [Fact]
    [Graded("1.2", 2)]
    public async Task A_passed_deadline_fails_the_call_as_DeadlineExceeded_not_Cancelled()
    {
        var time = new FakeTimeProvider();
        await _cluster.DisposeAsync();
        _cluster = new InMemoryCluster<ProbeStorage>(3, id => new ProbeStorage(id) { Hold = new TaskCompletionSource() }, new ManagerOptions { TimeProvider = time });

        var call = Client(ProbeQSpec.DoneAt(2), timeout: TimeSpan.FromSeconds(1)).ReadAsync(new ReadRequest());
        await Eventually.WaitAsync(() => call.IsCompleted || _cluster[0].Reads + _cluster[1].Reads + _cluster[2].Reads == 3, "all 3 nodes received the read");
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(call, "a read past its 1 s deadline"));
        Assert.True(error.Cause == QuorumCallError.DeadlineExceeded, $"The call's deadline passed (the caller did not cancel), so the cause must be DeadlineExceeded, not {error.Cause}.");
        AssertNoPendingCalls("Right after the deadline");
    }

    [Fact]
    [Graded("1.1", 2)]
    public async Task Skipped_nodes_are_neither_contacted_nor_awaited()
    {
        _cluster[2].Hold = new TaskCompletionSource();
        var client = Client(ProbeQSpec.Never());

        var error = await Assert.ThrowsAsync<QuorumCallException>(() => Eventually.WithinAsync(
            QuorumCall.InvokeAsync(client.Configuration, StorageMethods.Read, new ReadRequest(), client.QSpec.ReadQF, (request, id) => id == 2 ? null : request),
            "a read that skips node 2 (node 2 would never answer)"));
        Assert.True(error.Cause == QuorumCallError.Incomplete && error.ReplyCount == 2, $"Nodes 0 and 1 were contacted and replied; expected Incomplete with 2 replies, got {error.Cause} with {error.ReplyCount}.");

        _cluster[2].Hold!.SetResult();
        await Eventually.WithinAsync(Client(ProbeQSpec.DoneAt(3)).ReadAsync(new ReadRequest()), "a read from all 3 nodes");
        Assert.True(_cluster[2].Reads == 1, $"Node 2 was skipped by the first call, so it must have seen only the second read, but it saw {_cluster[2].Reads}.");
    }

    [Fact]
    [Graded("1.1", 1)]
    public async Task A_quorum_function_that_throws_fails_only_that_call()
    {
        var broken = new ProbeQSpec(_ => throw new FormatException("bad quorum function"));
        await Assert.ThrowsAsync<FormatException>(() => Eventually.WithinAsync(Client(broken).ReadAsync(new ReadRequest()), "a read whose quorum function throws"));
        AssertNoPendingCalls("After a quorum function threw");

        var result = await Eventually.WithinAsync(Client(ProbeQSpec.DoneAt(3)).ReadAsync(new ReadRequest()), "the next read");
        Assert.NotNull(result);
    }
}
