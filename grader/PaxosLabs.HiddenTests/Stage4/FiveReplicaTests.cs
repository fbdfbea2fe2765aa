using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Leader changes on five replicas with two crashed: the whole replica, quorum functions included.</summary>
public sealed class FiveReplicaTests : IAsyncDisposable
{
    private readonly AcceptGate _accepts = new() { Holds = false };
    private readonly ReplicaGroup _group;

    public FiveReplicaTests() => _group = new(n: 5, scheduler: _accepts);

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    private string Logs(params uint[] ids) => string.Join("; ", ids.Select(id => $"r{id}: {_group.Log(id)}"));

    [Fact]
    [Graded("4.2", 3)]
    public async Task A_NACK_never_completes_phase_1_so_a_chosen_value_survives_the_leader_change()
    {
        // The old leader r2 got x chosen in slot 1 in round 2 (accepted by r0, r1 and r2, a majority
        // of 5); only r0 learned it. Then r2 prepared round 7 at r0 alone, and r1 and r2 crashed.
        var x = Cmd("x", 1, "k", "X");
        foreach (uint id in new uint[] { 0, 1, 2 })
        {
            _group.Replicas[id].State.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
            _group.Replicas[id].State.Accept(new AcceptMsg { Slot = 1, Rnd = 2, Val = x });
        }

        _group.Replicas[0].State.Decide(1, x);
        _group.Replicas[0].State.Prepare(new PrepareMsg { FromSlot = 2, Crnd = 7 });
        _group.Crash(1);
        _group.Crash(2);
        var zDone = _group.Client("z").PutAsync("k", "Z");
        await Eventually.WaitAsync(() => zDone.IsCompleted || new uint[] { 0, 3, 4 }.Sum(id => _group.Replicas[id].Handler.WaitingCount) == 3,
            "replicas r0, r3 and r4 to hold client z's request");

        // r4 starts in its round 4: r0 NACKs it (round 7), r3 and r4 promise. Two promises of 5 are no quorum.
        _group.Lead(4, 0, 3, 4);
        await Eventually.WaitAsync(() => _group.Replicas[3].State.Adu >= 1 && _group.Replicas[4].State.Adu >= 1,
            $"replicas r3 and r4 to execute slot 1 under the new leader r4 (logs now: {Logs(0, 3, 4)})");
        foreach (uint id in new uint[] { 3, 4 })
        {
            var slot1 = _group.Replicas[id].State.DecidedFrom(1).Decided[0].Val;
            Assert.True(Equals(slot1, x),
                $"Agreement broken in slot 1: replica r0 executed x#1 there (chosen in round 2 by r0, r1 and r2), but replica r{id} executed {Show(slot1)}; their stores now hold k = '{_group.Replicas[0].State.Data.GetValueOrDefault("k")}' and '{_group.Replicas[id].State.Data.GetValueOrDefault("k")}'. "
                + $"{Why()} The accepts r4 sent, in order: {_accepts.Show()}. Logs: {Logs(0, 3, 4)}.");
        }

        await Eventually.WithinAsync(zDone, "client z's request to complete after x#1 (in slot 2)");
        await Eventually.WaitAsync(() => new uint[] { 0, 3, 4 }.All(id => _group.Replicas[id].State.Data.GetValueOrDefault("k") == "Z"),
            $"replicas r0, r3 and r4 to run x#1 and then z#1, leaving k = Z (logs now: {Logs(0, 3, 4)})");
    }

    /// <summary>What the new leader r4's accepts show about how slot 1 lost x#1.</summary>
    private string Why()
    {
        var accepts = _accepts.Accepts();
        var clash = accepts.GroupBy(a => (a.Slot, a.Rnd)).FirstOrDefault(g => g.Select(a => a.Val).Distinct().Count() > 1);
        return accepts.Any(a => a.Rnd == 4)
            ? "r4 sent accepts in its round 4, so its phase 1 of round 4 was done, yet only r3 and r4 promised round 4: r0 answered with a NACK naming round 7. A NACK is not a promise and never counts toward the quorum: with n = 5, PrepareQF needs 3 promises for round 4, so phase 1 must fail and be retried above round 7, where r0's promise reports x#1."
            : clash is not null
            ? $"In round {clash.Key.Rnd} r4 sent {Show(clash.First().Val)} and then {Show(clash.First(a => !Equals(a.Val, clash.First().Val)).Val)} for slot {clash.Key.Slot}: phase 1 returned slot {clash.Key.Slot}, and new values go to slots above every slot phase 1 returned, never into a slot just re-proposed."
            : "Phase 1 of a round above 7 must get r0's promise, which reports x#1 in slot 1 (round 2), and re-propose it there.";
    }

    [Fact]
    [Graded("4.5", 2)]
    public async Task A_noop_that_fills_a_hole_is_never_run_as_a_command()
    {
        // The old leader r2 (round 2) decided slot 1 everywhere and got y accepted in slot 3 by r0
        // and r1 (so every quorum of the four survivors reports it), then crashed. The new leader r4
        // fills the hole at slot 2 with a no-op.
        var (a, y) = (Cmd("a", 1, "ka", "A"), Cmd("y", 1, "ky", "Y"));
        foreach (var r in _group.Replicas)
        {
            r.State.Decide(1, a);
        }

        foreach (uint id in new uint[] { 0, 1 })
        {
            _group.Replicas[id].State.Prepare(new PrepareMsg { FromSlot = 2, Crnd = 2 });
            _group.Replicas[id].State.Accept(new AcceptMsg { Slot = 3, Rnd = 2, Val = y });
        }

        _group.Crash(2);
        var yDone = _group.Client("y").RunAsync(y.Command);
        var live = new uint[] { 0, 1, 3, 4 };
        await Eventually.WaitAsync(() => yDone.IsCompleted || live.Sum(id => _group.Replicas[id].Handler.WaitingCount) == 4,
            "replicas r0, r1, r3 and r4 to hold client y's request");

        _group.Lead(4, live);
        await Eventually.WithinAsync(yDone, "client y's request to complete under the new leader r4");
        await Eventually.WaitAsync(() => live.All(id => _group.Replicas[id].State.Adu >= 3), $"replicas r0, r1, r3 and r4 to execute slots 1–3 (logs now: {Logs(live)})");

        foreach (var id in live)
        {
            var log = _group.Log(id);
            Assert.True(log.StartsWith("1:a#1 2:no-op 3:y#1", StringComparison.Ordinal), $"Replica r{id}'s log must start 1:a#1 2:no-op 3:y#1 (the hole at slot 2 filled with a no-op), but it is: {log}");
            var ranNoop = _group.Replicas[id].State.Cached(Noop);
            Assert.True(ranNoop is null,
                $"Replica r{id} decided a no-op in slot 2 and ran it as a command: its session table now holds a response for client '{ranNoop?.ClientId}' request {ranNoop?.ClientSeq} (result '{ranNoop?.Result}'), the empty client id and sequence number of a no-op. A no-op only advances adu: it must not reach the state machine, so it leaves no session entry and counts as no executed command. Log: {log}.");
            Assert.True(_group.Replicas[id].State.Data.GetValueOrDefault("ky") == "Y", $"Replica r{id} must have executed y#1 (ky = Y); its store is {_group.Replicas[id].State}.");
        }
    }
}
