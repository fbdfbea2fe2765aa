using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Durable;

/// <summary>
/// A replica's journal on stable storage: the write-ahead log of its acceptor state and decisions,
/// and its snapshot (docs/protocol.md §5). Records are appended under the replica state's lock, in
/// order; <see cref="MakeDurable"/> is called outside it, by each answer before it leaves, so that
/// answers waiting at once share one flush (group commit).
/// </summary>
public sealed class DurableJournal(IStableStorage storage) : IReplicaJournal, IDisposable
{
    private readonly Lock _flushGate = new();
    private long _appended;
    private long _flushed;

    /// <summary>A journal in the folder <paramref name="dataDirectory"/> (made when missing).</summary>
    public static DurableJournal Open(string dataDirectory) => new(new DirectoryStorage(dataDirectory));

    public IStableStorage Storage { get; } = storage ?? throw new ArgumentNullException(nameof(storage));

    public long Appended => Volatile.Read(ref _appended);

    /// <summary>How far the log is known to be durable.</summary>
    public long Flushed
    {
        get
        {
            lock (_flushGate)
            {
                return _flushed;
            }
        }
    }

    public RecoveredState Recover() => WalRecovery.Recover(Storage);

    public void Promised(long rnd) => Append(WalRecord.Promise(rnd));

    public void Voted(PValue vote) => Append(WalRecord.Voting(vote));

    public void Decided(ulong slot, Value value) => Append(WalRecord.Decide(slot, value));

    public void MakeDurable(long upTo)
    {
        // BEGIN TODO(5.2): Durable before answering, with group commit: under _flushGate, return at once if _flushed >= upTo (an earlier flush covered it); else read end = Appended FIRST, then Storage.FlushLog() (the fsync; it writes everything appended so far, other answers' records too), then _flushed = end. One flush thus serves every answer whose records were appended before it.
        lock (_flushGate)
        {
            if (_flushed >= upTo)
            {
                return;
            }

            var end = Appended;
            Storage.FlushLog();
            _flushed = end;
        }
        // END TODO(5.2)
    }

    public void Compact(Snapshot snapshot, long rnd, IReadOnlyCollection<PValue> votes, IReadOnlyCollection<LearnMsg> decided)
    {
        ArgumentNullException.ThrowIfNull(votes);
        ArgumentNullException.ThrowIfNull(decided);

        // The snapshot first: a crash between the two leaves the new snapshot and the old log, whose
        // records at or below the snapshot recovery ignores. The log then holds only what is above it.
        Storage.ReplaceSnapshot(SnapshotFile.Encode(snapshot));
        var log = new List<byte>();
        if (rnd != Rounds.NoRound)
        {
            log.AddRange(WalCodec.Encode(WalRecord.Promise(rnd)));
        }

        foreach (var vote in votes)
        {
            log.AddRange(WalCodec.Encode(WalRecord.Voting(vote)));
        }

        foreach (var decision in decided)
        {
            log.AddRange(WalCodec.Encode(WalRecord.Decide(decision.Slot, decision.Val)));
        }

        lock (_flushGate)
        {
            Storage.ReplaceLog([.. log]);
            _flushed = Appended; // every record appended so far is in the new log, durable
        }
    }

    /// <summary>Closes the storage's files (what was appended and not flushed is lost, as in a crash).</summary>
    public void Dispose() => (Storage as IDisposable)?.Dispose();

    private void Append(WalRecord record)
    {
        var frame = WalCodec.Encode(record);
        Storage.AppendLog(frame);
        Interlocked.Add(ref _appended, frame.Length); // after the bytes: a flush that reads this position covers them
    }
}
