using PaxosLabs.Durable;
using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage5;

/// <summary>An acceptor answers only what is on disk, with group commit (task 5.2, protocol §5.2).</summary>
public class DurableAnswerTests
{
    [Fact]
    [Graded("5.2", 3)]
    public void An_accept_is_answered_only_once_its_vote_is_flushed()
    {
        var disk = new MemoryStorage();
        var state = new ReplicaState(new DurableJournal(disk), snapshotEvery: 0);
        state.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        var learn = state.Accept(new AcceptMsg { Slot = 1, Rnd = 2, Val = Cmd("alice", 1) });
        Assert.True(learn.Rnd == 2, "The accept in round 2 must be accepted.");
        Assert.True(disk.FlushedLength == disk.Length,
            $"Accept returned its learn (the vote for slot 1 in round 2) while {disk.Length - disk.FlushedLength} byte(s) of the log were not flushed: a crash now would lose a vote the leader already counted. MakeDurable must flush (Storage.FlushLog) before it returns.");

        disk.Crash();
        var restarted = new ReplicaState(new DurableJournal(disk), snapshotEvery: 0);
        var promise = restarted.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        Assert.True(promise.Accepted.Count == 1 && promise.Accepted[0].Slot == 1 && promise.Accepted[0].Vrnd == 2,
            $"After a crash the acceptor must still report its vote for slot 1 in round 2; its promise reports {Show(promise.Accepted)}.");
    }

    [Fact]
    [Graded("5.2", 2)]
    public void A_promise_is_answered_only_once_its_round_is_flushed()
    {
        var disk = new MemoryStorage();
        var state = new ReplicaState(new DurableJournal(disk), snapshotEvery: 0);
        var promise = state.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 7 });
        Assert.True(promise.Rnd == 7, "The prepare in round 7 must be promised.");
        disk.Crash();

        var restarted = new ReplicaState(new DurableJournal(disk), snapshotEvery: 0);
        var lower = restarted.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 4 });
        Assert.True(lower.Rnd != 4,
            "The acceptor promised round 7, crashed, and then promised round 4: it broke its promise, because the round was not flushed before the promise left. Every answer waits for MakeDurable.");
    }

    [Fact]
    [Graded("5.2", 2)]
    public void One_flush_serves_every_answer_appended_before_it()
    {
        var disk = new MemoryStorage();
        var journal = new DurableJournal(disk);
        journal.Promised(3);
        var first = journal.Appended;
        journal.Voted(Vote(1, 3, Cmd("alice", 1)));
        var second = journal.Appended;
        journal.Voted(Vote(2, 3, Cmd("bob", 1)));
        var third = journal.Appended;

        journal.MakeDurable(first);
        journal.MakeDurable(second);
        journal.MakeDurable(third);
        Assert.True(disk.Flushes == 1,
            $"Three records were appended, then three answers asked for them to be durable: one flush covers all three (group commit), but there were {disk.Flushes}. Read Appended before the flush, and skip the flush when an earlier one already covered the position.");
        Assert.True(disk.FlushedLength == disk.Length, "After the answers, every appended record must be flushed.");

        journal.Decided(1, Cmd("alice", 1));
        journal.MakeDurable(journal.Appended);
        Assert.True(disk.Flushes == 2, $"A record appended after the last flush needs a flush of its own: {disk.Flushes} flush(es) in all, expected 2.");
    }
}
