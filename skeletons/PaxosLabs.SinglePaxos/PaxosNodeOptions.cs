using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaxosLabs.SinglePaxos;

/// <summary>Settings of a <see cref="PaxosNode"/>; every value has a usable default.</summary>
public sealed class PaxosNodeOptions
{
    /// <summary>The clock of call deadlines and backoffs (a simulator passes its virtual clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Draws the proposer's backoffs; null: a <see cref="System.Random"/> seeded with the node id, so runs repeat.</summary>
    public Random? Random { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The node's name as a client of the others; null: its own address in the node map, which is
    /// how the in-memory network and the simulator know which node a stream comes from.
    /// </summary>
    public string? ClientName { get; init; }

    /// <summary>The deadline of each Prepare and Accept call; null: none.</summary>
    public TimeSpan? CallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest wait before the proposer retries.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest wait before the proposer retries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    internal ProposerOptions ProposerOptions() => new()
    {
        CallTimeout = CallTimeout,
        MinBackoff = MinBackoff,
        MaxBackoff = MaxBackoff,
    };
}
