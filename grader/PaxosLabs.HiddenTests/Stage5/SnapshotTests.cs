using PaxosLabs.Durable;
using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage5;

/// <summary>Snapshots of the store and its session table (task 5.4, protocol §5.4).</summary>
public class SnapshotTests
{
    private static Value Append(string client, ulong seq, string key, string suffix) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Append, Key = key, Value = suffix } };

    [Fact]
    [Graded("5.4", 3)]
    public void A_restored_snapshot_answers_a_retry_from_its_session_table()
    {
        var machine = new KvStateMachine();
        machine.Execute(Append("alice", 1, "k", "a"));
        machine.Execute(Append("bob", 4, "k", "b"));
        var snapshot = machine.Capture(2);
        Assert.True(snapshot.Adu == 2, $"Capture(2) must make a snapshot of slot 2, it made one of slot {snapshot.Adu}.");

        var restored = new KvStateMachine();
        restored.Restore(snapshot);
        Assert.True(restored.Data.TryGetValue("k", out var k) && k == "ab", $"After the restore the store must hold k=ab, it holds k={k ?? "(nothing)"}.");
        var retry = restored.Execute(Append("bob", 4, "k", "b"));
        Assert.True(restored.Data["k"] == "ab",
            $"bob#4 ran before the snapshot; its retry after the restore ran again (k is now {restored.Data["k"]}). The snapshot must hold the session table too, or exactly-once breaks at every restart.");
        Assert.True(retry is not null && retry.Result == "ab", $"The retry of bob#4 must get its cached response (result ab), it got {retry?.Result ?? "null"}.");
    }

    [Fact]
    [Graded("5.4", 2)]
    public void Restore_replaces_the_whole_state()
    {
        var source = new KvStateMachine();
        source.Execute(Cmd("alice", 1, "x", "1"));
        var snapshot = source.Capture(1);

        var target = new KvStateMachine();
        target.Execute(Cmd("zoe", 9, "old", "stale"));
        target.Restore(snapshot);
        Assert.False(target.Data.ContainsKey("old"), "Restore must replace the store: key old (not in the snapshot) is still there.");
        Assert.False(target.HasExecuted("zoe", 9), "Restore must replace the session table too: zoe#9 (not in the snapshot) is still recorded as executed.");
        Assert.True(target.HasExecuted("alice", 1) && target.Data["x"] == "1", "After the restore the snapshot's x=1 and alice#1 must be there.");
    }

    [Fact]
    [Graded("5.4", 1)]
    public void A_snapshot_does_not_change_with_the_store()
    {
        var machine = new KvStateMachine();
        machine.Execute(Cmd("alice", 1, "x", "1"));
        var snapshot = machine.Capture(1);
        machine.Execute(Cmd("alice", 2, "x", "2"));
        Assert.True(snapshot.Data["x"] == "1" && snapshot.Sessions.Single(s => s.ClientId == "alice").ClientSeq == 1,
            "A snapshot of slot 1 must keep x=1 and alice at ClientSeq 1 after alice#2 ran: copy the data and the responses, do not share them.");
    }

    [Fact]
    [Graded("5.4", 3)]
    public void A_replica_restarted_from_a_snapshot_still_runs_each_command_once()
    {
        var disk = new MemoryStorage();
        var state = new ReplicaState(new DurableJournal(disk), snapshotEvery: 2);
        state.Decide(1, Append("alice", 1, "k", "a"));
        state.Decide(2, Append("bob", 1, "k", "b"));
        state.Decide(3, Append("alice", 2, "k", "c"));
        Assert.True(state.Snapshot?.Adu == 2, $"With snapshotEvery 2 the replica snapshots at slot 2; its snapshot is at {state.Snapshot?.Adu.ToString() ?? "none"}.");
        state.Prepare(new PrepareMsg { FromSlot = 4, Crnd = 3 }); // flushes slot 3's decision
        disk.Crash();

        var restarted = new ReplicaState(new DurableJournal(disk), snapshotEvery: 2);
        Assert.True(restarted.Adu == 3 && restarted.Data["k"] == "abc", $"After a restart from the snapshot of slot 2 and the decision of slot 3, adu must be 3 and k=abc; adu is {restarted.Adu}, k={restarted.Data.GetValueOrDefault("k")}.");
        var retried = restarted.Decide(4, Append("bob", 1, "k", "b"));
        Assert.True(restarted.Data["k"] == "abc",
            $"bob#1 ran in slot 2, inside the snapshot; decided again in slot 4 (a retry) it ran a second time: k is {restarted.Data["k"]}. The snapshot must carry the session table.");
        Assert.True(retried.Count == 1 && retried[0].Response?.Result == "ab", $"The repeat of bob#1 must be answered with its cached response (result ab), it got {retried.FirstOrDefault().Response?.Result ?? "none"}.");
    }
}
