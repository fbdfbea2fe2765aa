using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaxosLabs.MultiPaxos;

/// <summary>Settings of a replica; every value has a usable default.</summary>
public sealed class ReplicaOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The seeded PRNG for backoffs (the simulator passes its own).</summary>
    public Random Random { get; init; } = new(0);

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>At most this many slots are in flight (accepted but not decided); also the client queue's capacity.</summary>
    public int Alpha { get; init; } = 16;

    /// <summary>
    /// At most this many client values share one slot. When a fresh slot gets its turn, the
    /// proposer adds the values that queued meanwhile, so a batch forms only under load and never
    /// waits to fill; 1 turns batching off.
    /// </summary>
    public int MaxBatch { get; init; } = 32;

    /// <summary>The deadline of each Prepare and Accept quorum call.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Thrifty phase 2 (docs/protocol.md §4.4): the leader sends a slot's accept to a majority only,
    /// itself and the followers next in id order, and to every replica when that majority has not
    /// decided the slot within this time, or when one of it failed or refused. The other replicas
    /// learn the slot from its commit. Null: every accept goes to every replica at once.
    /// </summary>
    public TimeSpan? AcceptOthersAfter { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How long a client request may wait for execution before it gets an error reply.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest random wait before retrying a failed phase 1.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often a replica that is not the leader asks the leader for the decisions it missed, while
    /// requests wait at it or decisions wait for a gap below them (<see cref="Replica.CatchUpAsync"/>).
    /// </summary>
    public TimeSpan CatchUpInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Stage 5: where the replica keeps its acceptor state and decided log (null: in memory only, so
    /// a restarted replica must never rejoin; see docs/protocol.md §5).
    /// </summary>
    public IReplicaJournal? Journal { get; init; }

    /// <summary>Stage 5: with a <see cref="Journal"/>, snapshot the store and compact the log every this many executed slots (0: never).</summary>
    public ulong SnapshotEvery { get; init; } = 1000;

    /// <summary>
    /// Stage 6: whether the store may change its configuration (docs/protocol.md §6). False (stages 4
    /// and 5): the replicas of the nodes run every slot, and a reconfiguration request gets an error.
    /// Every replica of a store must be given the same value, and the same <see cref="Alpha"/>.
    /// </summary>
    public bool Reconfigurable { get; init; }

    /// <summary>
    /// Stage 6: the replicas of the initial configuration, among the nodes the replica is given
    /// (null: all of them). The other nodes are spares: they may join the store by a reconfiguration.
    /// Only with <see cref="Reconfigurable"/>.
    /// </summary>
    public IReadOnlyCollection<uint>? Members { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Alpha, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1);
        if (CallTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxBackoff <= TimeSpan.Zero || CatchUpInterval <= TimeSpan.Zero || AcceptOthersAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("CallTimeout, RequestTimeout, MaxBackoff, CatchUpInterval and AcceptOthersAfter (when set) must be positive.");
        }

        if (Members is not null && !Reconfigurable)
        {
            throw new ArgumentException("Members (spare nodes) needs Reconfigurable: only a store that changes its configuration can use a spare.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Random);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
