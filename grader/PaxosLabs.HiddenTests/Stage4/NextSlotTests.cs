using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Where a new leader puts new values after its re-proposals (task 4.4).</summary>
public sealed class NextSlotTests
{
    [Fact]
    [Graded("4.4", 3)]
    public async Task After_a_leader_change_new_values_go_above_every_slot_phase_1_returned()
    {
        // The old leader r2 got x chosen in slot 1 (accepted by r0 and r1) and y accepted in slot 2
        // by r0, in round 2, then crashed. Nothing is decided anywhere: adu is 0 at r1.
        var gate = new AcceptGate();
        await using var group = new ReplicaGroup(scheduler: gate);
        var (x, y) = (Cmd("x", 1, "kx", "X"), Cmd("y", 1, "ky", "Y"));
        foreach (uint id in new uint[] { 0, 1 })
        {
            group.Replicas[id].State.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
            group.Replicas[id].State.Accept(new AcceptMsg { Slot = 1, Rnd = 2, Val = x });
        }

        group.Replicas[0].State.Accept(new AcceptMsg { Slot = 2, Rnd = 2, Val = y });
        group.Crash(2);
        var zDone = group.Client("z").PutAsync("kz", "Z");
        await Eventually.WaitAsync(() => zDone.IsCompleted || group.Replicas[0].Handler.WaitingCount + group.Replicas[1].Handler.WaitingCount == 2,
            "replicas r0 and r1 to hold client z's request");

        // The gate holds every accept, so no slot is decided and adu stays 0 while r1 chooses its slots.
        group.Lead(1, 0, 1);
        await Eventually.WaitAsync(() => gate.Accepts().Any(a => a.Val.ClientId == "z" || a.Val.Batch.Any(b => b.ClientId == "z")),
            "the new leader r1 to send an accept for client z's request (phase 1 returned slots 1 and 2; z comes after them)");
        var accepts = gate.Accepts();
        gate.Release();

        var sent = gate.Show();
        var clash = accepts.GroupBy(a => (a.Slot, a.Rnd)).FirstOrDefault(g => g.Select(a => a.Val).Distinct().Count() > 1);
        if (clash is not null)
        {
            var (first, then) = (clash.First(), clash.First(a => !Equals(a.Val, clash.First().Val)));
            Assert.Fail($"The new leader r1 sent two values for slot {clash.Key.Slot} in its round {clash.Key.Rnd}: first {Show(first.Val)}, then {Show(then.Val)}. "
                + $"{(first.Slot == 1 ? "x#1 was chosen in slot 1 (accepted by r0 and r1 in round 2), and phase 1 returned it" : $"Phase 1 returned {Show(first.Val)} for slot {first.Slot}")}; "
                + $"re-proposing it is right, but sending {Show(then.Val)} to the same slot replaces a value that may be chosen. "
                + $"New values go from slot max(highest returned slot, adu) + 1 = max(2, 0) + 1 = 3 on. The accepts r1 sent, in order: {sent}.");
        }

        var forZ = accepts.First(a => a.Val.ClientId == "z" || a.Val.Batch.Any(b => b.ClientId == "z"));
        Assert.True(forZ.Slot == 3,
            $"Phase 1 returned slots 1 (x#1) and 2 (y#1) and adu is 0: client z's new request must go to slot max(2, 0) + 1 = 3, but r1 sent it for slot {forZ.Slot} in round {forZ.Rnd}. The accepts r1 sent, in order: {sent}.");
        await Eventually.WithinAsync(zDone, "client z's request to complete once the accepts are delivered");
    }
}
