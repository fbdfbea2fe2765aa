using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaxosLabs.Detectors;

/// <summary>Settings of a <see cref="DetectorNode"/>; every value has a usable default.</summary>
public sealed class DetectorOptions
{
    /// <summary>The failure detector's first timeout and the step by which it grows.</summary>
    public TimeSpan Delta { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The node's name as a client of the others; null: its id ("3").</summary>
    public string? ClientName { get; init; }

    /// <summary>The size of each leader subscriber's buffer.</summary>
    public int SubscriberCapacity { get; init; } = LeaderDetector.DefaultSubscriberCapacity;

    /// <summary>Also told of every suspicion and restoration, after the leader detector (e.g. to print them).</summary>
    public ISuspicionListener? Observer { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        if (Delta <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Delta must be positive, not {Delta}.", nameof(Delta));
        }

        if (ClientName is not null && string.IsNullOrWhiteSpace(ClientName))
        {
            throw new ArgumentException("ClientName must not be blank.", nameof(ClientName));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SubscriberCapacity, 1);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
