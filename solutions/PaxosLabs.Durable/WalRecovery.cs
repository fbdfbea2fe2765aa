using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Durable;

/// <summary>Reads a replica's state back from stable storage after a restart (docs/protocol.md §5.3).</summary>
public static class WalRecovery
{
    /// <summary>
    /// The snapshot, the acceptor's round and votes, and the decisions the log holds. A torn or
    /// damaged tail of the log is cut off on the way, so that what is appended next follows the
    /// last good record.
    /// </summary>
    public static RecoveredState Recover(IStableStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var snapshot = SnapshotFile.Read(storage);
        var log = storage.ReadLog();

        // BEGIN TODO(5.3): Recovery: decode the log with WalCodec.Decode; if its valid prefix is shorter than the log, storage.TruncateLog(validLength) (else the next record would follow the garbage, and the next recovery would stop there and lose it). Then replay the records in order: Promised raises Rnd; Voted keeps, per slot, the vote with the highest Vrnd and raises Rnd to at least its Vrnd; Decided collects the decision (ascending). Return new RecoveredState(snapshot, Rnd (Rounds.NoRound when nothing), votes ascending by slot, decisions).
        var (records, valid) = WalCodec.Decode(log);
        if (valid < log.Length)
        {
            storage.TruncateLog(valid);
        }

        var rnd = Rounds.NoRound;
        var votes = new SortedDictionary<ulong, PValue>();
        var decided = new List<LearnMsg>();
        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case WalRecordKind.Promised:
                    rnd = Math.Max(rnd, record.Rnd);
                    break;
                case WalRecordKind.Voted:
                    var vote = record.Vote!;
                    if (!votes.TryGetValue(vote.Slot, out var kept) || vote.Vrnd >= kept.Vrnd)
                    {
                        votes[vote.Slot] = vote;
                    }

                    rnd = Math.Max(rnd, vote.Vrnd);
                    break;
                case WalRecordKind.Decided:
                    decided.Add(record.Decision!);
                    break;
            }
        }

        return new RecoveredState(snapshot, rnd, [.. votes.Values], decided);
        // END TODO(5.3)
    }
}
