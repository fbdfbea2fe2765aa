using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaxosLabs.Gorums;

/// <summary>Settings of a <see cref="Manager"/>; every value has a usable default.</summary>
public sealed class ManagerOptions
{
    /// <summary>The clock for deadlines, latency and reconnection backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The deadline of a call that names none; null: calls wait until cancelled or complete.</summary>
    public TimeSpan? DefaultCallTimeout { get; init; }

    /// <summary>A name for this client in traces and logs (a replica uses its node id).</summary>
    public string ClientName { get; init; } = "client";

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        if (DefaultCallTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"DefaultCallTimeout must be positive, not {t}.", nameof(DefaultCallTimeout));
        }
    }
}
