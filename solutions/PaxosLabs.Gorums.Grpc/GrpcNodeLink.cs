using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The client end of one node's stream: the outbox writes the caller's requests, a reader hands
/// replies to the node, and a broken stream fails the node's pending calls and reconnects with backoff.
/// This code never runs in the simulator, so it may leave the caller's context.
/// </summary>
internal sealed partial class GrpcNodeLink : INodeLink
{
    private readonly Outbox _outbox;
    private readonly CancellationTokenSource _closing = new();
    private readonly Uri _address;
    private readonly ILinkHandler _handler;
    private readonly GrpcTransportOptions _options;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly Task _run;
    private volatile LinkState _state = LinkState.Connecting;

    public GrpcNodeLink(Uri address, ILinkHandler handler, GrpcTransportOptions options)
    {
        _address = address;
        _handler = handler;
        _options = options;
        _outbox = new Outbox(options.TimeProvider, options.DeferredSendLinger);
        _logger = options.LoggerFactory.CreateLogger("PaxosLabs.Gorums.Grpc");
        // The channel's own reconnect backoff (up to two minutes by default) would keep a restarted
        // node unreachable long after this link retries; it follows the transport's backoff instead.
        var channelOptions = options.ChannelOptions ?? new GrpcChannelOptions
        {
            InitialReconnectBackoff = options.MinBackoff,
            MaxReconnectBackoff = options.MaxBackoff,
        };
        if (options.Credentials is not null)
        {
            channelOptions.Credentials = options.Credentials;
        }

        _channel = GrpcChannel.ForAddress(address, channelOptions);
        _run = Task.Run(RunAsync);
    }

    public bool TrySend(Envelope envelope) =>
        _state is LinkState.Connecting or LinkState.Ready && _outbox.Send(envelope);

    public bool TryQueue(Envelope envelope) =>
        _state is LinkState.Connecting or LinkState.Ready && _outbox.Send(envelope, write: false);

    public void Flush() => _outbox.Flush();

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        _state = LinkState.Closed;
        await _closing.CancelAsync().ConfigureAwait(false);
        _outbox.Close();
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _channel.Dispose();
        _handler.OnStateChanged(LinkState.Closed, null);
        _closing.Dispose();
    }

    private async Task RunAsync()
    {
        var client = new Protocol.Transport.TransportClient(_channel);
        var backoff = _options.MinBackoff;
        while (!_closing.IsCancellationRequested)
        {
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            try
            {
                using var call = client.NodeStream(cancellationToken: stream.Token);
                await call.ResponseHeadersAsync.WaitAsync(_options.DialTimeout, _options.TimeProvider, stream.Token).ConfigureAwait(false);
                SetState(LinkState.Ready, null);
                backoff = _options.MinBackoff;
                _outbox.Attach(call.RequestStream);
                // The call carries the stream's token, so a read needs none of its own (one registration fewer per reply).
                var replies = call.ResponseStream;
                while (await replies.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    var batch = replies.Current.Envelopes;
                    for (var i = 0; i < batch.Count; i++) // by index: a repeated field's enumerator is an allocation per batch
                    {
                        _handler.OnReply(batch[i]);
                    }
                }

                throw new IOException($"node {_address.Authority} closed the stream");
            }
            catch (Exception) when (_closing.IsCancellationRequested)
            {
                break; // closing: the stream ends because we ended it
            }
#pragma warning disable CA1031 // any failure of the stream is the node's failure: report it and reconnect
            catch (Exception e)
#pragma warning restore CA1031
            {
                LinkBroken(_logger, _address.Authority, e.Message);
                await stream.CancelAsync().ConfigureAwait(false);
                SetState(LinkState.Broken, e is TimeoutException ? new TimeoutException($"no answer from {_address.Authority} within {_options.DialTimeout}") : e);
                _outbox.Detach(); // messages queued for the broken stream are lost, as on a real network
            }

            try
            {
                await Task.Delay(backoff, _options.TimeProvider, _closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            SetState(LinkState.Connecting, null);
        }
    }

    private void SetState(LinkState state, Exception? error)
    {
        if (_state == LinkState.Closed)
        {
            return;
        }

        _state = state;
        _handler.OnStateChanged(state, error);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream to {Address} broke: {Reason}")]
    private static partial void LinkBroken(ILogger logger, string address, string reason);
}
