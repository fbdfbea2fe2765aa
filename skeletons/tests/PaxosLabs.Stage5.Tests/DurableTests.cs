using PaxosLabs.Durable;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage5.Tests;

/// <summary>
/// Stage 5, one test per task and per common mistake the assignment lists. Run one task with
/// <c>dotnet test src/tests/PaxosLabs.Stage5.Tests --filter Task=5.1</c>.
/// </summary>
[Trait("Stage", "5")]
public class DurableTests
{
    private static Value Put(string client, ulong seq, string key, string value) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = key, Value = value } };

    private static ReplicaState Start(MemoryStorage disk, ulong snapshotEvery = 0) => new(new DurableJournal(disk), snapshotEvery);

    [Fact]
    [Trait("Task", "5.1")]
    public void Records_decode_back_and_a_torn_last_record_is_left_out()
    {
        WalRecord[] written = [WalRecord.Promise(4), WalRecord.Voting(new PValue { Slot = 1, Vrnd = 4, Vval = Put("alice", 1, "x", "1") })];
        var log = written.SelectMany(WalCodec.Encode).ToArray();
        var (records, valid) = WalCodec.Decode(log);
        Assert.Equal(written, records);
        Assert.Equal(log.Length, valid);

        var torn = log[..^3]; // the crash cut the last record short
        (records, valid) = WalCodec.Decode(torn);
        Assert.Equal(written[..1], records);
        Assert.Equal(WalCodec.Encode(written[0]).Length, valid);
    }

    [Fact]
    [Trait("Task", "5.1")]
    public void Decoding_stops_at_a_damaged_record_and_reads_nothing_after_it()
    {
        WalRecord[] written = [WalRecord.Promise(1), WalRecord.Promise(2), WalRecord.Promise(3)];
        var log = written.SelectMany(WalCodec.Encode).ToArray();
        var second = WalCodec.Encode(written[0]).Length;
        log[second + WalCodec.HeaderSize] ^= 0xFF; // a bad byte in record 2's body
        var (records, valid) = WalCodec.Decode(log);
        Assert.True(records.Count == 1 && valid == second, $"Record 2 of 3 is damaged: decode must return record 1 only and ValidLength {second}, it returned {records.Count} record(s) and {valid}. Never skip a bad record to read on.");
    }

    [Fact]
    [Trait("Task", "5.2")]
    public void An_answer_leaves_only_after_its_records_are_flushed()
    {
        var disk = new MemoryStorage();
        var state = Start(disk);
        state.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        Assert.True(disk.FlushedLength == disk.Length, "Prepare returned a promise before the promised record was flushed: MakeDurable must flush.");
        state.Accept(new AcceptMsg { Slot = 1, Rnd = 2, Val = Put("alice", 1, "x", "1") });
        Assert.True(disk.FlushedLength == disk.Length, "Accept returned a learn before the vote was flushed: MakeDurable must flush.");
    }

    [Fact]
    [Trait("Task", "5.2")]
    public void One_flush_covers_every_record_appended_before_it()
    {
        var disk = new MemoryStorage();
        var journal = new DurableJournal(disk);
        journal.Promised(1);
        var first = journal.Appended;
        journal.Promised(2);
        journal.MakeDurable(journal.Appended);
        journal.MakeDurable(first);
        Assert.True(disk.Flushes == 1, $"The second answer's records were covered by the first flush: one flush in all (group commit), there were {disk.Flushes}.");
    }

    [Fact]
    [Trait("Task", "5.3")]
    public void A_restarted_acceptor_keeps_its_round_and_votes()
    {
        var disk = new MemoryStorage();
        var state = Start(disk);
        state.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        state.Accept(new AcceptMsg { Slot = 1, Rnd = 5, Val = Put("alice", 1, "x", "1") });
        disk.Crash();

        var restarted = Start(disk);
        Assert.Equal(5, restarted.AcceptorRnd);
        var promise = restarted.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 9 });
        Assert.True(promise.Accepted.Count == 1 && promise.Accepted[0].Vrnd == 5, $"The vote for slot 1 in round 5 must survive the crash; the promise reports {promise.Accepted.Count} vote(s).");
    }

    [Fact]
    [Trait("Task", "5.3")]
    public void Recovery_cuts_a_torn_tail_off_the_log()
    {
        var disk = new MemoryStorage();
        var journal = new DurableJournal(disk);
        journal.Promised(3);
        journal.MakeDurable(journal.Appended);
        var good = disk.Length;
        disk.AppendLog([7, 0, 0, 0, 1, 2]); // half a frame
        disk.FlushLog();

        WalRecovery.Recover(disk);
        Assert.True(disk.Length == good, $"Recovery must truncate the log to its valid prefix ({good} bytes), so that the next record follows the last good one; the log has {disk.Length} bytes.");
    }

    [Fact]
    [Trait("Task", "5.4")]
    public void A_snapshot_carries_the_data_and_the_session_table()
    {
        var machine = new KvStateMachine();
        machine.Execute(Put("alice", 3, "x", "1"));
        var restored = new KvStateMachine();
        restored.Restore(machine.Capture(1));
        Assert.Equal("1", restored.Data["x"]);
        Assert.True(restored.HasExecuted("alice", 3), "The snapshot must carry the session table: after the restore, alice#3 must be known as executed, or its retry runs twice.");
    }
}
