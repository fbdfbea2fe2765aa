using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Ordered execution and exactly-once (task 4.5).</summary>
public class ReplicaLogTests
{
    [Fact]
    [Graded("4.5", 3)]
    public void Out_of_order_decisions_run_in_slot_order()
    {
        var log = new ReplicaLog(new KvStateMachine());
        Assert.True(log.Decide(3, Cmd("c", 1)).Count == 0, "Slot 3 was decided before slots 1 and 2: it must wait (buffered), not run.");
        Assert.True(log.Decide(2, Cmd("b", 1)).Count == 0, "Slot 2 must wait for slot 1.");
        var ran = log.Decide(1, Cmd("a", 1));
        Assert.True(ran.Select(e => e.Slot).SequenceEqual([1ul, 2ul, 3ul]), $"Deciding slot 1 closes the gap: slots 1, 2, 3 must run in that order, ran [{string.Join(", ", ran.Select(e => e.Slot))}].");
        Assert.True(log.Adu == 3, $"adu must be 3 after slots 1–3 ran, it is {log.Adu}.");
    }

    [Fact]
    [Graded("4.5", 2)]
    public void A_noop_advances_adu_without_executing()
    {
        var log = new ReplicaLog(new KvStateMachine());
        var ran = log.Decide(1, Noop);
        Assert.True(log.Adu == 1, $"A no-op in slot 1 must advance adu to 1, adu is {log.Adu}.");
        Assert.True(log.StateMachine.Executed == 0 && ran.All(e => e.Response is null), "A no-op must not run a command.");
        log.Decide(2, Cmd("a", 1));
        Assert.True(log.Adu == 2 && log.StateMachine.Executed == 1, "After the no-op, slot 2 runs.");
    }

    [Fact]
    [Graded("4.5", 1)]
    public void A_decision_at_or_below_adu_is_ignored()
    {
        var log = new ReplicaLog(new KvStateMachine());
        log.Decide(1, Cmd("a", 1, "k", "first"));
        var again = log.Decide(1, Cmd("b", 1, "k", "second"));
        Assert.True(again.Count == 0 && log.StateMachine.Data["k"] == "first", "Slot 1 already ran: a second decision for it must be ignored.");
        Assert.True(log.Buffered == 0, $"Slot 1 already ran (adu = {log.Adu}): its second decision must be dropped, not buffered; {log.Buffered} decision(s) wait in the buffer and would never leave it.");
    }

    [Fact]
    [Graded("4.5", 3)]
    public void A_retried_request_runs_once_and_is_answered_from_the_session_table()
    {
        var log = new ReplicaLog(new KvStateMachine());
        var append = new Value { ClientId = "alice", ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Append, Key = "k", Value = "x" } };
        var first = log.Decide(1, append);
        var retry = log.Decide(2, append.Clone());
        Assert.True(log.StateMachine.Data["k"] == "x", $"alice's request 1 was decided in slots 1 and 2 (a retry): it must run once, but k = '{log.StateMachine.Data["k"]}'.");
        Assert.True(retry.Single().Response?.Result == first.Single().Response?.Result && retry.Single().Response?.ClientSeq == 1,
            "The retry must be answered with the cached response of the first run.");
        Assert.True(log.Adu == 2, "Both slots count as executed: adu is 2.");
    }

    [Fact]
    [Graded("4.5", 1)]
    public void An_older_request_of_a_client_is_not_run_again()
    {
        var machine = new KvStateMachine();
        machine.Execute(Cmd("alice", 5, "k", "new"));
        var old = machine.Execute(Cmd("alice", 4, "k", "old"));
        Assert.True(old is null && machine.Data["k"] == "new", "alice already ran request 5; her request 4 must not run (no response, no change).");
    }
}
