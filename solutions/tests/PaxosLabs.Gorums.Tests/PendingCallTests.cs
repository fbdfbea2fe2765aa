using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;
using PaxosLabs.Testing;

namespace PaxosLabs.Gorums.Tests;

/// <summary>
/// How a sent call hands replies to its caller: replies that arrive before the caller asks wait in
/// order, a caller that asks first is woken by the next one, and the call's token, its disposal and
/// misuse each end a wait with a clear exception. Messages are held and delivered by the test.
/// </summary>
public sealed class PendingCallTests : IAsyncDisposable
{
    private readonly HeldDeliveries _held = new();
    private readonly Manager _manager;
    private readonly Configuration _configuration;

    public PendingCallTests()
    {
        var network = new InMemoryNetwork(_held);
        for (uint id = 0; id < 3; id++)
        {
            network.Listen($"node-{id}", new GorumsServer().Register(new StorageServer()));
        }

        _manager = new Manager(network);
        _configuration = _manager.NewConfiguration(["node-0", "node-1", "node-2"]);
    }

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    [Fact]
    public async Task Replies_that_arrive_before_the_caller_asks_are_handed_over_in_arrival_order()
    {
        using var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest());
        _held.DeliverAll(); // the three requests reach their servers
        await Eventually.WaitAsync(() => _held.Count == 3, "the three servers to answer");
        var order = _held.DeliverAll(); // the three replies reach the call before anyone asks

        var seen = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            var next = call.NextAsync();
            Assert.True(next.IsCompletedSuccessfully, $"reply {i + 1} of 3 had arrived, so NextAsync should not have to wait");
            var reply = await next;
            Assert.Null(reply.Error);
            Assert.NotNull(reply.Reply);
            seen.Add(reply.NodeId);
        }

        Assert.Equal(order, seen);
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_hands_out_no_reply_even_when_its_nodes_answered()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        using var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest(), cancellationToken: cancel.Token);
        _held.DeliverAll(); // the three requests reach their servers
        await Eventually.WaitAsync(() => _held.Count == 3, "the three servers to answer");
        _held.DeliverAll(); // the replies are queued before the caller asks, as on a fast network

        var next = call.NextAsync();
        Assert.True(next.IsFaulted, "the caller's token had fired before the call started, so NextAsync should end at once with OperationCanceledException, not hand out the queued replies (a quorum of them would let a cancelled call succeed)");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task A_waiting_caller_is_woken_by_the_next_reply()
    {
        using var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest());
        var next = call.NextAsync().AsTask();
        Assert.False(next.IsCompleted, "no reply has been delivered yet");

        _held.DeliverAll();
        await Eventually.WaitAsync(() => _held.Count > 0, "a server to answer");
        _held.DeliverOne(); // one reply only
        var reply = await Eventually.WithinAsync(next, "the first reply");
        Assert.Null(reply.Error);
    }

    [Fact]
    public async Task The_callers_token_ends_a_wait_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest(), cancellationToken: cancel.Token);
        var next = call.NextAsync().AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.WithinAsync(next, "the cancelled wait"));
        Assert.True(call.CallerToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Disposing_the_call_ends_a_wait_and_drops_later_replies()
    {
        var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest());
        var next = call.NextAsync().AsTask();

        call.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Eventually.WithinAsync(next, "the wait of a disposed call"));
        Assert.All(_configuration, node => Assert.Equal(0, node.PendingCalls));

        _held.DeliverAll();
        _held.DeliverAll(); // replies to a disposed call find nothing and leave nothing
        Assert.Throws<ObjectDisposedException>(() => call.NextAsync());
    }

    [Fact]
    public void Asking_again_before_awaiting_the_previous_reply_is_a_clear_error()
    {
        using var call = _configuration.StartCall(StorageMethods.Read, new ReadRequest());
        _ = call.NextAsync();

        var error = Assert.Throws<InvalidOperationException>(() => call.NextAsync());
        Assert.Contains("await each reply", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Holds every message until the test delivers it, in the order sent.</summary>
    private sealed class HeldDeliveries : IDeliveryScheduler
    {
        private readonly Queue<Delivery> _queue = new();

        public int Count
        {
            get
            {
                lock (_queue)
                {
                    return _queue.Count;
                }
            }
        }

        public void Schedule(Delivery delivery)
        {
            lock (_queue)
            {
                _queue.Enqueue(delivery);
            }
        }

        public void RunAs(string endpoint, Action action) => action();

        /// <summary>Delivers what is held now; returns the node ids of the replies among them, in order.</summary>
        public List<uint> DeliverAll()
        {
            List<Delivery> now;
            lock (_queue)
            {
                now = [.. _queue];
                _queue.Clear();
            }

            foreach (var delivery in now)
            {
                delivery.Deliver();
            }

            return [.. now.Where(d => d.IsReply).Select(d => uint.Parse(d.From["node-".Length..], System.Globalization.CultureInfo.InvariantCulture))];
        }

        public void DeliverOne()
        {
            Delivery delivery;
            lock (_queue)
            {
                delivery = _queue.Dequeue();
            }

            delivery.Deliver();
        }
    }
}
