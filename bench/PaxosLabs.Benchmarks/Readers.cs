using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using PaxosLabs.Benchmarks.Raw;
using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

/// <summary>One way to read the register from a majority of n servers.</summary>
internal interface IQuorumReader : IAsyncDisposable
{
    Task<State> ReadAsync();
}

/// <summary>The contenders of the quorum-call figure, in the order the page shows them.</summary>
internal enum Contender
{
    Framework,
    HandWrittenStream,
    UnaryFanout,
}

internal static class Readers
{
    public static string Label(Contender contender) => contender switch
    {
        Contender.Framework => "framework quorum call",
        Contender.HandWrittenStream => "hand-written stream fan-out",
        Contender.UnaryFanout => "unary fan-out",
        _ => contender.ToString(),
    };

    public static async Task<IQuorumReader> ConnectAsync(Contender contender, Cluster cluster)
    {
        IQuorumReader reader = contender switch
        {
            Contender.Framework => await FrameworkReader.ConnectAsync(cluster.GorumsAddresses),
            Contender.HandWrittenStream => RawStreamReader.Connect(cluster.RawAddresses),
            Contender.UnaryFanout => UnaryReader.Connect(cluster.RawAddresses),
            _ => throw new ArgumentOutOfRangeException(nameof(contender)),
        };

        // Every connection open and every code path jitted before anything is measured.
        for (var i = 0; i < 200; i++)
        {
            var state = await reader.ReadAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (state.Timestamp != Cluster.InitialState.Timestamp)
            {
                throw new InvalidOperationException($"{Label(contender)} read timestamp {state.Timestamp}, expected {Cluster.InitialState.Timestamp}.");
            }
        }

        return reader;
    }
}

/// <summary>The framework: the generated <see cref="StorageConfiguration"/> over <see cref="GrpcTransport"/>.</summary>
internal sealed class FrameworkReader : IQuorumReader
{
    private readonly Manager _manager;
    private readonly StorageConfiguration _client;

    private FrameworkReader(Manager manager, StorageConfiguration client)
    {
        _manager = manager;
        _client = client;
    }

    public static async Task<FrameworkReader> ConnectAsync(IReadOnlyList<string> addresses)
    {
        var manager = new Manager(new GrpcTransport());
        var configuration = manager.NewConfiguration(addresses);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (configuration.Any(n => n.State != LinkState.Ready))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the framework's node streams did not open within 30 s");
            }

            await Task.Delay(5);
        }

        return new FrameworkReader(manager, new StorageConfiguration(configuration, new StorageQSpec(addresses.Count)));
    }

    public Task<State> ReadAsync() => _client.ReadAsync(new ReadRequest());

    public ValueTask DisposeAsync() => _manager.DisposeAsync();
}

/// <summary>
/// A read waiting for a majority: keeps the freshest state (highest timestamp, ties to the lowest
/// node index, as <see cref="StorageQSpec.ReadQF"/> does) and completes at the quorum-th reply.
/// Continuations run asynchronously, so a stream's reader never runs the caller's code.
/// </summary>
internal sealed class PendingRead(int quorum, int nodes) : TaskCompletionSource<State>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    private State? _freshest;
    private int _freshestNode;
    private int _replies;
    private int _failures;

    /// <summary>Adds a reply; true when this reply completed the call.</summary>
    public bool Add(int node, State state)
    {
        lock (this)
        {
            if (_replies >= quorum)
            {
                return false;
            }

            if (_freshest is null || state.Timestamp > _freshest.Timestamp || (state.Timestamp == _freshest.Timestamp && node < _freshestNode))
            {
                _freshest = state;
                _freshestNode = node;
            }

            if (++_replies < quorum)
            {
                return false;
            }
        }

        TrySetResult(_freshest);
        return true;
    }

    /// <summary>Counts a failed node; fails the call once a majority can no longer answer.</summary>
    public void Fail(Exception error)
    {
        lock (this)
        {
            if (_replies >= quorum || ++_failures <= nodes - quorum)
            {
                return;
            }
        }

        TrySetException(error);
    }
}

/// <summary>
/// The hand-written baseline: one duplex stream per server, a single writer per stream draining
/// its outbox, one reader per stream, and one table of pending reads keyed by a sequence number
/// shared by the n copies of a request. A read returns at n/2+1 replies; later replies find
/// nothing in the table and are dropped.
/// </summary>
internal sealed class RawStreamReader : IQuorumReader
{
    private readonly ConcurrentDictionary<ulong, PendingRead> _pending = new();
    private readonly Link[] _links;
    private readonly int _quorum;
    private long _seq;

    private RawStreamReader(IReadOnlyList<string> addresses)
    {
        _quorum = addresses.Count / 2 + 1;
        _links = [.. addresses.Select((a, i) => new Link(this, i, a))];
    }

    public static RawStreamReader Connect(IReadOnlyList<string> addresses) => new(addresses);

    public Task<State> ReadAsync()
    {
        var seq = (ulong)Interlocked.Increment(ref _seq);
        var call = new PendingRead(_quorum, _links.Length);
        _pending[seq] = call;
        var message = new StreamRead { Seq = seq, Request = new ReadRequest() };
        foreach (var link in _links)
        {
            link.Send(message); // the same message object on every stream: each writer serializes it
        }

        return call.Task;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }
    }

    private void OnReply(int node, StreamState reply)
    {
        if (_pending.TryGetValue(reply.Seq, out var call) && call.Add(node, reply.State))
        {
            _pending.TryRemove(reply.Seq, out _);
        }
    }

    private void OnBroken(Exception error)
    {
        foreach (var (seq, call) in _pending)
        {
            call.Fail(error);
        }
    }

    private sealed class Link : IAsyncDisposable
    {
        private readonly Channel<StreamRead> _outbox = Channel.CreateUnbounded<StreamRead>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _closing = new();
        private readonly RawStreamReader _owner;
        private readonly int _node;
        private readonly GrpcChannel _channel;
        private readonly AsyncDuplexStreamingCall<StreamRead, StreamState> _call;
        private readonly Task _writer;
        private readonly Task _reader;

        public Link(RawStreamReader owner, int node, string address)
        {
            _owner = owner;
            _node = node;
            _channel = GrpcChannel.ForAddress("http://" + address);
            _call = new RawStorage.RawStorageClient(_channel).ReadStream(cancellationToken: _closing.Token);
            _writer = Task.Run(WriteAsync);
            _reader = Task.Run(ReadAsync);
        }

        public void Send(StreamRead message) => _outbox.Writer.TryWrite(message);

        public async ValueTask DisposeAsync()
        {
            _outbox.Writer.TryComplete();
            await _closing.CancelAsync();
            await Quietly(_writer);
            await Quietly(_reader);
            _call.Dispose();
            _channel.Dispose();
            _closing.Dispose();
        }

        private async Task WriteAsync()
        {
            var outbox = _outbox.Reader;
            var requests = _call.RequestStream;
            while (await outbox.WaitToReadAsync())
            {
                while (outbox.TryRead(out var message))
                {
                    await requests.WriteAsync(message);
                }
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                // The call itself carries the closing token; a token per MoveNext would only add a registration per reply.
                var replies = _call.ResponseStream;
                while (await replies.MoveNext(CancellationToken.None))
                {
                    _owner.OnReply(_node, replies.Current);
                }
            }
            catch (Exception e) when (!_closing.IsCancellationRequested)
            {
                _owner.OnBroken(e);
                throw;
            }
        }

        private static async Task Quietly(Task task)
        {
            try
            {
                await task;
            }
#pragma warning disable CA1031 // closing: the stream's end is expected
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}

/// <summary>The plain baseline: n unary calls per read, done at a majority of replies.</summary>
internal sealed class UnaryReader : IQuorumReader
{
    private readonly GrpcChannel[] _channels;
    private readonly RawStorage.RawStorageClient[] _clients;
    private readonly int _quorum;

    private UnaryReader(IReadOnlyList<string> addresses)
    {
        _quorum = addresses.Count / 2 + 1;
        _channels = [.. addresses.Select(a => GrpcChannel.ForAddress("http://" + a))];
        _clients = [.. _channels.Select(c => new RawStorage.RawStorageClient(c))];
    }

    public static UnaryReader Connect(IReadOnlyList<string> addresses) => new(addresses);

    public Task<State> ReadAsync()
    {
        var call = new PendingRead(_quorum, _clients.Length);
        var request = new ReadRequest();
        for (var i = 0; i < _clients.Length; i++)
        {
            _ = CallAsync(i, request, call);
        }

        return call.Task;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task CallAsync(int node, ReadRequest request, PendingRead call)
    {
        try
        {
            using var unary = _clients[node].ReadAsync(request);
            call.Add(node, await unary.ResponseAsync);
        }
#pragma warning disable CA1031 // a failed node counts against the quorum
        catch (Exception e)
#pragma warning restore CA1031
        {
            call.Fail(e);
        }
    }
}
