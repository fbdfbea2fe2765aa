using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>Settings of the gRPC transport; every value has a usable default.</summary>
public sealed class GrpcTransportOptions
{
    /// <summary>How long opening a node's stream may take before the node counts as failed.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before reconnecting a broken stream; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a one-way message sent inside a <see cref="DeferredSends"/> scope may wait for the
    /// next write to its node, whose message it shares, before it is written alone.
    /// </summary>
    public TimeSpan DeferredSendLinger { get; init; } = TimeSpan.FromMilliseconds(2);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Channel options (message sizes, HTTP handler); null: defaults.</summary>
    public GrpcChannelOptions? ChannelOptions { get; init; }

    /// <summary>Credentials; null: plain HTTP/2 without TLS (loopback, labs).</summary>
    public ChannelCredentials? Credentials { get; init; }

    internal void Validate()
    {
        if (DialTimeout <= TimeSpan.Zero || MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff || DeferredSendLinger <= TimeSpan.Zero)
        {
            throw new ArgumentException("DialTimeout, MinBackoff and DeferredSendLinger must be positive and MaxBackoff at least MinBackoff.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
