using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Server;

/// <summary>
/// Hosts services behind any transport. Each sender (one client stream) gets a session that runs
/// that sender's handlers one at a time in arrival order; different senders run concurrently.
/// </summary>
public sealed class GorumsServer
{
    private readonly ServiceRegistry _registry = new();
    private readonly ILogger _logger;

    public GorumsServer(ILoggerFactory? loggerFactory = null)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("PaxosLabs.Gorums.Server");
    }

    public GorumsServer Register(IGorumsService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        service.Register(_registry);
        return this;
    }

    /// <summary>Opens the session of one sender; replies go to <paramref name="sendReply"/>.</summary>
    public ServerSession OpenSession(string peer, Action<Envelope> sendReply) => new(this, peer, sendReply);

    internal bool TryGetHandler(string method, out MethodHandler handler) => _registry.TryGet(method, out handler);

    internal ILogger Logger => _logger;
}

/// <summary>One sender's FIFO queue of messages and the loop that handles them.</summary>
public sealed class ServerSession : IDisposable
{
    private readonly Channel<Envelope> _inbox = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly GorumsServer _server;
    private readonly string _peer;
    private readonly Action<Envelope> _sendReply;

    internal ServerSession(GorumsServer server, string peer, Action<Envelope> sendReply)
    {
        _server = server;
        _peer = peer;
        _sendReply = sendReply;
        _ = PumpAsync();
    }

    /// <summary>Queues a message from this session's sender; never blocks. For transports that deliver messages as events.</summary>
    public void Receive(Envelope message) => _inbox.Writer.TryWrite(message);

    /// <summary>
    /// Handles a message from this session's sender and completes when the sender's next message may
    /// be handled: when the handler has finished or released its turn. For transports that read one
    /// message at a time (a stream): the reading loop is then the session's queue, and a message
    /// goes to its handler without a hop through <see cref="Receive"/>'s queue. A session takes its
    /// messages one way or the other, never both.
    /// </summary>
    public Task HandleAsync(Envelope message) => DispatchAsync(message);

    public void Dispose()
    {
        if (_inbox.Writer.TryComplete())
        {
            _closed.Cancel();
        }
    }

    private async Task PumpAsync()
    {
        while (await _inbox.Reader.WaitToReadAsync())
        {
            while (_inbox.Reader.TryRead(out var message))
            {
                await DispatchAsync(message);
            }
        }
    }

    private async Task DispatchAsync(Envelope message)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        if (!_server.TryGetHandler(message.Method, out var handler))
        {
            ServerLog.UnknownMethod(_server.Logger, message.Method, _peer);
            Reply(new Envelope { Seq = message.Seq, Method = message.Method, Error = $"unknown method {message.Method}" });
            return;
        }

        var context = new ServerContext(_peer, _closed.Token);
        Task<ByteString> work;
        try
        {
            work = handler.Invoke(message.Payload, context);
        }
        catch (Exception e)
        {
            work = Task.FromException<ByteString>(e);
        }

        _ = ReplyWhenDoneAsync(message, handler.OneWay, work);
        if (!work.IsCompleted)
        {
            // The sender's next message waits until this handler completes or releases its turn.
            await Task.WhenAny(work, context.Released);
        }
    }

    private async Task ReplyWhenDoneAsync(Envelope request, bool oneWay, Task<ByteString> work)
    {
        Envelope reply;
        try
        {
            var payload = await work;
            if (oneWay)
            {
                return;
            }

            reply = new Envelope { Seq = request.Seq, Method = request.Method, Payload = payload };
        }
#pragma warning disable CA1031 // a handler's failure of any kind becomes that node's error at the caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.HandlerFailed(_server.Logger, e, request.Method, _peer);
            if (oneWay)
            {
                return;
            }

            reply = new Envelope { Seq = request.Seq, Method = request.Method, Error = $"{e.GetType().Name}: {e.Message}" };
        }

        Reply(reply);
    }

    private void Reply(Envelope reply)
    {
        if (!_closed.IsCancellationRequested)
        {
            _sendReply(reply);
        }
    }
}

internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Unknown method {Method} called by {Peer}")]
    public static partial void UnknownMethod(ILogger logger, string method, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handler of {Method} failed for {Peer}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string peer);
}
