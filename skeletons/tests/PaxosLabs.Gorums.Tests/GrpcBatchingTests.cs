using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Testing;

namespace PaxosLabs.Gorums.Tests;

/// <summary>
/// The gRPC streams carry batches of envelopes: what a stream's writer finds queued goes out as one
/// message, in queue order, never waiting for more and never growing past <see cref="Outbox.BatchBytes"/>
/// (gRPC refuses messages over 4 MB). Checked on the writer alone and end to end over 127.0.0.1.
/// </summary>
public sealed class GrpcBatchingTests
{
    [Fact]
    public void Envelopes_queued_before_the_stream_opens_go_out_as_one_batch_in_order()
    {
        var outbox = new Outbox();
        for (ulong seq = 1; seq <= 5; seq++)
        {
            outbox.Send(new Envelope { Seq = seq });
        }

        var stream = new RecordingStream();
        outbox.Attach(stream);

        var batch = Assert.Single(stream.Batches);
        Assert.Equal([1UL, 2, 3, 4, 5], batch.Envelopes.Select(e => e.Seq));
    }

    [Fact]
    public void An_envelope_sent_while_no_write_is_under_way_is_written_at_once_by_the_sender()
    {
        var stream = new RecordingStream();
        var outbox = new Outbox(stream);

        outbox.Send(new Envelope { Seq = 7 });

        var batch = Assert.Single(stream.Batches); // already written when Send returns: no hop to a writer thread
        Assert.Equal([7UL], batch.Envelopes.Select(e => e.Seq));
        Assert.Equal([Environment.CurrentManagedThreadId], stream.WritingThreads);
    }

    [Fact]
    public void An_envelope_queued_without_a_write_leaves_with_the_next_write_or_a_flush()
    {
        var stream = new RecordingStream();
        var outbox = new Outbox(stream);

        outbox.Send(new Envelope { Seq = 1 }, write: false); // a commit, say: the next accept will carry it
        outbox.Send(new Envelope { Seq = 2 }, write: false);
        Assert.Empty(stream.Batches);

        outbox.Send(new Envelope { Seq = 3 });
        var batch = Assert.Single(stream.Batches);
        Assert.Equal([1UL, 2, 3], batch.Envelopes.Select(e => e.Seq));

        outbox.Send(new Envelope { Seq = 4 }, write: false);
        Assert.Single(stream.Batches);
        outbox.Flush(); // nothing else is coming: it goes out alone
        Assert.Equal(2, stream.Batches.Count);
        Assert.Equal([4UL], stream.Batches[1].Envelopes.Select(e => e.Seq));

        outbox.Flush(); // nothing queued: nothing written
        Assert.Equal(2, stream.Batches.Count);
    }

    [Fact]
    public void An_envelope_queued_without_a_write_leaves_alone_once_the_linger_time_has_passed()
    {
        var time = new FakeTimeProvider();
        var stream = new RecordingStream();
        var outbox = new Outbox(time, TimeSpan.FromMilliseconds(2));

        outbox.Send(new Envelope { Seq = 1 }, write: false); // a commit with no accept coming after it
        time.Advance(TimeSpan.FromMilliseconds(1));
        outbox.Attach(stream); // the stream opens: what queued goes out with this write
        Assert.Equal([1UL], Assert.Single(stream.Batches).Envelopes.Select(e => e.Seq));

        outbox.Send(new Envelope { Seq = 2 }, write: false);
        time.Advance(TimeSpan.FromMilliseconds(1)); // the timer set for envelope 1 fires: it takes 2 along, a little early
        Assert.Equal(2, stream.Batches.Count);
        Assert.Equal([2UL], stream.Batches[1].Envelopes.Select(e => e.Seq));

        outbox.Send(new Envelope { Seq = 3 }, write: false);
        time.Advance(TimeSpan.FromMilliseconds(1.9));
        Assert.Equal(2, stream.Batches.Count); // within the linger time it waits for a write to share
        time.Advance(TimeSpan.FromMilliseconds(0.1));
        Assert.Equal(3, stream.Batches.Count);
        Assert.Equal([3UL], stream.Batches[2].Envelopes.Select(e => e.Seq));

        time.Advance(TimeSpan.FromSeconds(1)); // nothing queued: the timer is not set again
        Assert.Equal(3, stream.Batches.Count);
        outbox.Close();
        outbox.Send(new Envelope { Seq = 4 }, write: false);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, stream.Batches.Count); // closed: dropped, no timer left behind
    }

    [Fact]
    public void A_linger_time_must_be_positive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Outbox(TimeProvider.System, TimeSpan.Zero));
        Assert.Contains("linger time must be positive", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new GrpcTransport(new GrpcTransportOptions { DeferredSendLinger = TimeSpan.FromMilliseconds(-1) }));
    }

    [Fact]
    public void Sends_are_deferred_only_inside_a_scope_on_its_own_thread()
    {
        Assert.False(DeferredSends.Active);
        using (DeferredSends.Open())
        {
            Assert.True(DeferredSends.Active);
            using (DeferredSends.Open())
            {
                Assert.True(DeferredSends.Active);
            }

            Assert.True(DeferredSends.Active); // nested scopes: the outer one still holds
            var elsewhere = true;
            var thread = new Thread(() => elsewhere = DeferredSends.Active);
            thread.Start();
            thread.Join();
            Assert.False(elsewhere, "another thread's sends must not be deferred by this thread's scope");
        }

        Assert.False(DeferredSends.Active);
        new DeferredSends().Dispose(); // a default value opened nothing and closes nothing
        Assert.False(DeferredSends.Active);
    }

    [Fact]
    public void Replies_sent_inside_a_reply_batch_leave_in_one_write_when_the_outermost_scope_closes()
    {
        var stream = new RecordingStream();
        var outbox = new Outbox(stream);
        Action flush = outbox.Flush;
        void Reply(ulong seq)
        {
            // what the gRPC service does with a reply inside a scope
            outbox.Send(new Envelope { Seq = seq }, write: false);
            ReplyBatch.Defer(flush);
        }

        using (ReplyBatch.Open())
        {
            Reply(1);
            using (ReplyBatch.Open())
            {
                Reply(2);
            }

            Assert.Empty(stream.Batches); // an inner scope closing writes nothing
            Reply(3);
        }

        var batch = Assert.Single(stream.Batches);
        Assert.Equal([1UL, 2, 3], batch.Envelopes.Select(e => e.Seq));
        Assert.False(ReplyBatch.Active);
    }

    [Fact]
    public async Task Envelopes_sent_while_a_write_waits_go_out_together_when_it_completes()
    {
        var stream = new RecordingStream { Pending = true };
        var outbox = new Outbox(stream);

        outbox.Send(new Envelope { Seq = 1 }); // its write waits (a slow socket)
        for (ulong seq = 2; seq <= 4; seq++)
        {
            outbox.Send(new Envelope { Seq = seq }); // the sender never waits for a write
        }

        Assert.Single(stream.Batches);
        stream.Pending = false;
        stream.CompleteWrite();
        await Eventually.WaitAsync(() => stream.Batches.Count == 2, "the envelopes queued behind a waiting write to go out once it completes");
        Assert.Equal([2UL, 3, 4], stream.Batches[1].Envelopes.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_batch_stops_growing_at_the_size_bound_and_a_large_envelope_travels_alone()
    {
        var outbox = new Outbox();
        var payload = UnsafeByteOperations.UnsafeWrap(new byte[Outbox.BatchBytes / 3]);
        for (ulong seq = 1; seq <= 10; seq++)
        {
            outbox.Send(new Envelope { Seq = seq, Payload = payload });
        }

        outbox.Send(new Envelope { Seq = 11, Payload = UnsafeByteOperations.UnsafeWrap(new byte[2 * Outbox.BatchBytes]) });
        outbox.Send(new Envelope { Seq = 12 });
        var stream = new RecordingStream();
        outbox.Attach(stream);
        await Eventually.WaitAsync(() => stream.Batches.Sum(b => b.Envelopes.Count) == 12, "all 12 envelopes to be written");

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (ulong)i), stream.Batches.SelectMany(b => b.Envelopes).Select(e => e.Seq));
        var shapes = string.Join(" | ", stream.Batches.Select(b => $"{string.Join(",", b.Envelopes.Select(e => e.Seq))}: {b.Envelopes.Sum(e => e.CalculateSize())} B"));
        Assert.All(stream.Batches, b => Assert.True(
            b.Envelopes.Count == 1 || b.Envelopes.Sum(e => e.CalculateSize()) <= Outbox.BatchBytes,
            $"a batch of several envelopes went past the {Outbox.BatchBytes} B bound; batches (seqs: bytes): {shapes}"));
        Assert.True(stream.Batches.Exists(b => b.Envelopes.Count == 1 && b.Envelopes[0].Seq == 11), $"the envelope larger than the bound should travel alone; batches (seqs: bytes): {shapes}");
    }

    [Fact]
    public async Task Replies_held_while_the_read_loop_handles_a_batch_go_out_together_when_it_is_done()
    {
        var stream = new RecordingStream();
        var outbox = new Outbox(stream);

        outbox.Hold();
        for (ulong seq = 1; seq <= 3; seq++)
        {
            outbox.Send(new Envelope { Seq = seq });
        }

        Assert.Empty(stream.Batches);
        await outbox.ReleaseAsync();
        var batch = Assert.Single(stream.Batches);
        Assert.Equal([1UL, 2, 3], batch.Envelopes.Select(e => e.Seq));

        outbox.Send(new Envelope { Seq = 4 }); // a reply that comes later, from a handler that waited
        Assert.Equal(2, stream.Batches.Count);
        Assert.Equal([4UL], stream.Batches[1].Envelopes.Select(e => e.Seq));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_reconnect_the_new_stream_gets_what_was_sent_since_and_nothing_queued_for_the_broken_one(bool lastWriteFails)
    {
        var broken = new RecordingStream { Pending = true };
        var outbox = new Outbox();
        outbox.Attach(broken);
        outbox.Send(new Envelope { Seq = 1 }); // its write is under way when the stream breaks
        outbox.Send(new Envelope { Seq = 2 }); // queued behind it

        outbox.Detach();
        var fresh = new RecordingStream();
        outbox.Attach(fresh);
        outbox.Send(new Envelope { Seq = 3 }); // waits for the broken stream's write to end: one write at a time
        Assert.Empty(fresh.Batches);
        broken.CompleteWrite(lastWriteFails ? new IOException("connection reset") : null);

        await Eventually.WaitAsync(() => fresh.Batches.Count == 1, "the envelope sent after the reconnect to reach the new stream");
        Assert.Equal([3UL], fresh.Batches[0].Envelopes.Select(e => e.Seq));
        Assert.Equal([1UL], broken.Batches.SelectMany(b => b.Envelopes).Select(e => e.Seq));
    }

    [Fact]
    public void A_failed_write_drops_what_is_queued_for_that_stream_and_nothing_more_is_written_to_it()
    {
        var stream = new RecordingStream { Pending = true };
        var outbox = new Outbox(stream);
        outbox.Send(new Envelope { Seq = 1 });
        outbox.Send(new Envelope { Seq = 2 });

        stream.CompleteWrite(new IOException("connection reset"));
        stream.Pending = false;
        Assert.True(outbox.Send(new Envelope { Seq = 3 }), "an outbox whose stream failed still takes envelopes (its link reports the failure and reconnects)");

        Assert.Equal([1UL], stream.Batches.SelectMany(b => b.Envelopes).Select(e => e.Seq));
    }

    [Fact]
    public async Task A_handler_that_waits_does_not_hold_back_the_replies_of_the_requests_before_it()
    {
        var waiter = new WaitingService();
        await using var host = await GorumsGrpcHost.StartAsync(new GorumsServer().Register(waiter));
        await using var manager = new Manager(new GrpcTransport());
        var configuration = manager.NewConfiguration([host.Address]);
        await Eventually.WaitAsync(() => configuration.All(n => n.State == Transport.LinkState.Ready), "the node stream to open");

        for (var round = 0; round < 20; round++)
        {
            // Sent back to back, so they usually travel in one batch: "answer" first, then "wait",
            // whose handler finishes only once the caller has the answer's reply.
            using var answer = configuration.StartCall(WaitingService.Method, new StringValue { Value = "answer" });
            using var wait = configuration.StartCall(WaitingService.Method, new StringValue { Value = "wait" });

            var first = await Eventually.WithinAsync(answer.NextAsync().AsTask(), $"round {round}: the reply to the request sent before a waiting handler's");
            Assert.Equal("answer", first.Reply?.Value);
            waiter.Go();
            var second = await Eventually.WithinAsync(wait.NextAsync().AsTask(), $"round {round}: the waiting handler's reply");
            Assert.Equal("waited", second.Reply?.Value);
        }
    }

    [Fact]
    public async Task A_burst_of_calls_over_grpc_is_answered_in_full_and_each_node_sees_it_in_order()
    {
        var recorders = new[] { new Recorder(), new Recorder() };
        var hosts = new List<GorumsGrpcHost>();
        try
        {
            foreach (var recorder in recorders)
            {
                hosts.Add(await GorumsGrpcHost.StartAsync(new GorumsServer().Register(recorder)));
            }

            await using var manager = new Manager(new GrpcTransport());
            var configuration = manager.NewConfiguration([.. hosts.Select(h => h.Address)]);
            await Eventually.WaitAsync(() => configuration.All(n => n.State == Transport.LinkState.Ready), "both node streams to open");

            // 400 small calls and 40 of 200 KB (8 MB in all, twice what gRPC takes in one message), none awaited before the next is sent.
            var big = new string('x', 200 * 1024);
            var calls = Enumerable.Range(0, 440)
                .Select(i => Collect(configuration, new StringValue { Value = i % 11 == 10 ? $"{i}:{big}" : $"{i}:" }))
                .ToList();
            var replies = await Eventually.WithinAsync(Task.WhenAll(calls), "every call of the burst to be answered by both nodes");

            for (var i = 0; i < replies.Length; i++)
            {
                Assert.All(replies[i], r => Assert.StartsWith($"{i}:", r.Value, StringComparison.Ordinal));
            }

            foreach (var recorder in recorders)
            {
                Assert.Equal(Enumerable.Range(0, 440), recorder.Seen);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Sends one call to every node and collects every reply (no quorum function: the framework alone).</summary>
    [Fact]
    public async Task A_node_served_locally_is_reached_in_memory_with_the_same_order_and_replies()
    {
        var remote = new Recorder();
        var local = new Recorder();
        await using var host = await GorumsGrpcHost.StartAsync(new GorumsServer().Register(remote));
        var transport = new GrpcTransport();

        // Nothing listens at port 1: only the in-memory path can reach the local node. It is declared
        // as a URL and used as host:port, the same address in two spellings.
        transport.ServeLocally("http://127.0.0.1:1", new GorumsServer().Register(local));
        await using var manager = new Manager(transport);
        var configuration = manager.NewConfiguration([host.Address, "127.0.0.1:1"]);
        await Eventually.WaitAsync(() => configuration.All(n => n.State == Transport.LinkState.Ready), "the remote stream and the local link to open");

        var calls = Enumerable.Range(0, 100).Select(i => Collect(configuration, new StringValue { Value = $"{i}:" })).ToList();
        var replies = await Eventually.WithinAsync(Task.WhenAll(calls), "every call to be answered by both nodes");

        Assert.All(replies.Select((r, i) => (r, i)), p => Assert.True(p.r.Count == 2 && p.r.All(v => v.Value == $"{p.i}:"), $"call {p.i} should have 2 echoes, got [{string.Join(", ", p.r.Select(v => v.Value))}]"));
        Assert.Equal(Enumerable.Range(0, 100), local.Seen);
        Assert.Equal(Enumerable.Range(0, 100), remote.Seen);
    }

    private static async Task<List<StringValue>> Collect(Configuration configuration, StringValue request)
    {
        using var call = configuration.StartCall(Recorder.Echo, request);
        var replies = new List<StringValue>();
        while (replies.Count < call.Contacted)
        {
            var next = await call.NextAsync();
            replies.Add(next.Reply ?? throw new InvalidOperationException($"node {next.NodeId} failed: {next.Error?.Message}"));
        }

        return replies;
    }

    /// <summary>A service that echoes each request and records the number it starts with, in handling order.</summary>
    private sealed class Recorder : IGorumsService
    {
        public static readonly RpcMethod<StringValue, StringValue> Echo = new("test.Recorder/Echo", StringValue.Parser, StringValue.Parser);

        private readonly Lock _gate = new();
        private readonly List<int> _seen = [];

        public List<int> Seen
        {
            get
            {
                lock (_gate)
                {
                    return [.. _seen];
                }
            }
        }

        public void Register(ServiceRegistry registry) => registry.Add(Echo, (request, _) =>
        {
            lock (_gate)
            {
                _seen.Add(int.Parse(request.Value.AsSpan(0, request.Value.IndexOf(':', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture));
            }

            return Task.FromResult(request);
        });
    }

    /// <summary>"answer" is answered at once; "wait" only after <see cref="Go"/>, without releasing its turn.</summary>
    private sealed class WaitingService : IGorumsService
    {
        public static readonly RpcMethod<StringValue, StringValue> Method = new("test.Waiting/Call", StringValue.Parser, StringValue.Parser);

        private readonly SemaphoreSlim _go = new(0);

        public void Go() => _go.Release();

        public void Register(ServiceRegistry registry) => registry.Add(Method, async (request, _) =>
        {
            if (request.Value == "wait")
            {
                await _go.WaitAsync();
                return new StringValue { Value = "waited" };
            }

            return request;
        });
    }

    /// <summary>
    /// A stream writer that keeps a copy of what is written and which thread wrote it. While
    /// <see cref="Pending"/> is set, a write waits until <see cref="CompleteWrite"/> (a slow socket).
    /// </summary>
    private sealed class RecordingStream : IAsyncStreamWriter<EnvelopeBatch>
    {
        private readonly Lock _gate = new();
        private readonly List<EnvelopeBatch> _batches = [];
        private readonly List<int> _threads = [];
        private TaskCompletionSource? _write;

        public WriteOptions? WriteOptions { get; set; }

        public bool Pending { get; set; }

        public List<EnvelopeBatch> Batches
        {
            get
            {
                lock (_gate)
                {
                    return [.. _batches];
                }
            }
        }

        public List<int> WritingThreads
        {
            get
            {
                lock (_gate)
                {
                    return [.. _threads];
                }
            }
        }

        public Task WriteAsync(EnvelopeBatch message)
        {
            lock (_gate)
            {
                Assert.True(_write is null, "a write started while another was under way: gRPC allows one at a time");
                _batches.Add(message.Clone()); // the writer reuses its batch once the write completes, as gRPC allows
                _threads.Add(Environment.CurrentManagedThreadId);
                if (!Pending)
                {
                    return Task.CompletedTask;
                }

                _write = new TaskCompletionSource();
                return _write.Task;
            }
        }

        /// <summary>Ends the waiting write, with <paramref name="error"/> if given.</summary>
        public void CompleteWrite(Exception? error = null)
        {
            TaskCompletionSource write;
            lock (_gate)
            {
                write = _write ?? throw new InvalidOperationException("no write is waiting");
                _write = null;
            }

            if (error is null)
            {
                write.SetResult();
            }
            else
            {
                write.SetException(error);
            }
        }
    }
}
