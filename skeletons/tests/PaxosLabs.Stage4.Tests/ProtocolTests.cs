using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage4.Tests;

/// <summary>Tasks 4.1–4.3 and 4.5: the pure parts of Multi-Paxos, on small examples.</summary>
[Trait("Stage", "4")]
public class ProtocolTests
{
    private static Value Cmd(string client, ulong seq) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = client } };

    /// <summary>"slot 5: no-op (round 5), slot 8: v#1 (round 4)", for failure messages.</summary>
    private static string Describe(IEnumerable<PValue> votes)
    {
        var text = string.Join(", ", votes.Select(v => $"slot {v.Slot}: {(v.Vval is null ? "no value" : v.Vval.IsNoop ? "no-op" : $"{v.Vval.ClientId}#{v.Vval.ClientSeq}")} (round {v.Vrnd})"));
        return text.Length == 0 ? "no votes" : text;
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void A_decided_value_the_acceptor_voted_for_is_kept_once_the_vote_s_copy()
    {
        var acceptor = new Acceptor();
        var voted = Cmd("a", 1);
        acceptor.Accept(new AcceptMsg { Slot = 3, Rnd = 1, Val = voted });

        // The commit brings its own copy of the same value: the log keeps the vote's, so a replica holds one copy, not two.
        Assert.Same(voted, acceptor.Shared(3, Cmd("a", 1)));
        var other = Cmd("b", 1);
        Assert.Same(other, acceptor.Shared(3, other)); // decided in a round this acceptor did not vote in
        var unvoted = Cmd("c", 1);
        Assert.Same(unvoted, acceptor.Shared(4, unvoted));
        Assert.Equal(Cmd("a", 1), Assert.Single(acceptor.Votes).Vval); // the vote itself is unchanged
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void An_acceptor_promises_a_higher_round_and_reports_its_votes()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 1 });
        acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 1, Val = Cmd("a", 1) });

        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        Assert.Equal(2, promise.Rnd);
        Assert.Equal(Cmd("a", 1), Assert.Single(promise.Accepted).Vval);
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void An_acceptor_nacks_an_old_round()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        Assert.Equal(5, acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 4, Val = Cmd("a", 1) }).Rnd);
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void An_acceptor_nacks_a_repeated_prepare_for_the_round_it_promised()
    {
        var acceptor = new Acceptor();
        acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 4 });
        acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 4, Val = Cmd("a", 1) });

        var again = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 4 });
        Assert.True(again.Rnd == 4 && again.Accepted.Count == 0,
            $"The acceptor promised round 4 and voted in slot 1; a second Prepare for round 4 is not strictly higher (Crnd > Rnd), so it gets a NACK: Promise{{Rnd = 4}} with no votes. Got Rnd = {again.Rnd} with {again.Accepted.Count} vote(s): {Describe(again.Accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void A_later_rounds_accept_replaces_the_vote_in_its_slot()
    {
        var acceptor = new Acceptor();
        acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 1, Val = Cmd("old", 1) });
        acceptor.Accept(new AcceptMsg { Slot = 1, Rnd = 4, Val = Cmd("new", 1) });

        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 5 });
        Assert.True(promise.Accepted.Count == 1 && promise.Accepted[0].Vrnd == 4 && promise.Accepted[0].Vval.ClientId == "new",
            $"Slot 1 got an accept in round 1 (old#1), then one in round 4 (new#1): the acceptor keeps ONE vote per slot, the last one, so the promise should report slot 1: new#1 (round 4). Got {Describe(promise.Accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.1")]
    public void A_promise_lists_only_the_votes_from_FromSlot_on_in_slot_order()
    {
        var acceptor = new Acceptor();
        foreach (var slot in new ulong[] { 4, 1, 3, 2 })
        {
            acceptor.Accept(new AcceptMsg { Slot = slot, Rnd = 1, Val = Cmd($"c{slot}", 1) });
        }

        var promise = acceptor.Prepare(new PrepareMsg { FromSlot = 3, Crnd = 2 });
        Assert.True(promise.Accepted.Select(v => v.Slot).SequenceEqual([3ul, 4ul]),
            $"The acceptor voted in slots 1, 2, 3 and 4; a Prepare with FromSlot = 3 asks only about slots 3 and up (the leader knows 1 and 2 are decided), ascending. Expected slots 3, 4; got {Describe(promise.Accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    public void PrepareQF_fills_every_hole_from_FromSlot_on_not_only_between_reported_slots()
    {
        // The worked example of the assignment (section 3): adu = 4, so FromSlot = 5; the quorum reports slot 8 alone.
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 5, Accepted = { new PValue { Slot = 8, Vrnd = 4, Vval = Cmd("v", 1) } } },
            [2] = new() { Rnd = 5 },
        };
        var (result, done) = new PaxosQSpec(3).PrepareQF(new PrepareMsg { FromSlot = 5, Crnd = 5 }, replies);
        Assert.True(done, "Two valid promises of three replicas are a quorum: PrepareQF should be done.");
        var accepted = result!.Accepted;
        Assert.True(accepted.Select(v => v.Slot).SequenceEqual([5ul, 6ul, 7ul, 8ul])
                && accepted.Take(3).All(v => v.Vval.IsNoop && v.Vrnd == 5) && accepted[^1].Vval.ClientId == "v",
            $"FromSlot = 5 and only slot 8 is reported: slots 5, 6 and 7 are holes (nothing can have been chosen there) and must become no-ops in round Crnd = 5, or the log waits for slot 5 for ever. Expected slot 5: no-op (round 5), slot 6: no-op (round 5), slot 7: no-op (round 5), slot 8: v#1 (round 4); got {Describe(accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    public void PrepareQF_keeps_the_vote_with_the_highest_Vrnd_not_the_first_one()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 5, Accepted = { new PValue { Slot = 1, Vrnd = 1, Vval = Cmd("old", 1) } } },
            [1] = new() { Rnd = 5, Accepted = { new PValue { Slot = 1, Vrnd = 4, Vval = Cmd("new", 1) } } },
        };
        var (result, done) = new PaxosQSpec(3).PrepareQF(new PrepareMsg { FromSlot = 1, Crnd = 5 }, replies);
        Assert.True(done, "Two valid promises of three replicas are a quorum: PrepareQF should be done.");
        Assert.True(result!.Accepted.Count == 1 && result.Accepted[0].Vrnd == 4 && result.Accepted[0].Vval.ClientId == "new",
            $"Replica 0 reports slot 1: old#1 (round 1), replica 1 reports slot 1: new#1 (round 4). The vote with the highest Vrnd wins (new#1 may already be chosen), whichever promise comes first. Expected slot 1: new#1 (round 4); got {Describe(result.Accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    public void PrepareQF_drops_votes_below_FromSlot_and_starts_filling_at_FromSlot()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 5, Accepted = { new PValue { Slot = 2, Vrnd = 1, Vval = Cmd("decided", 1) }, new PValue { Slot = 6, Vrnd = 1, Vval = Cmd("v", 1) } } },
            [1] = new() { Rnd = 5 },
        };
        var (result, done) = new PaxosQSpec(3).PrepareQF(new PrepareMsg { FromSlot = 4, Crnd = 5 }, replies);
        Assert.True(done, "Two valid promises of three replicas are a quorum: PrepareQF should be done.");
        Assert.True(result!.Accepted.Select(v => v.Slot).SequenceEqual([4ul, 5ul, 6ul]) && result.Accepted[0].Vval.IsNoop && result.Accepted[1].Vval.IsNoop,
            $"FromSlot = 4: the vote for slot 2 is below it (the leader knows slot 2 is decided), so it is dropped and does not move where filling starts. Expected slot 4: no-op (round 5), slot 5: no-op (round 5), slot 6: v#1 (round 1); got {Describe(result.Accepted)}.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    public void PrepareQF_never_counts_a_nack_nor_its_votes()
    {
        var qspec = new PaxosQSpec(3);
        var request = new PrepareMsg { FromSlot = 1, Crnd = 5 };
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 5 },
            [1] = new() { Rnd = 7, Accepted = { new PValue { Slot = 1, Vrnd = 7, Vval = Cmd("nack", 1) } } }, // a NACK: round 7 beats Crnd 5
        };
        var (_, done) = qspec.PrepareQF(request, replies);
        Assert.False(done, "Replica 1 answered round 5 with Rnd = 7: that is a NACK, not a promise. One valid promise of three replicas is not a quorum, so PrepareQF must not be done yet.");

        replies[2] = new PromiseMsg { Rnd = 5 };
        var (result, done2) = qspec.PrepareQF(request, replies);
        Assert.True(done2 && result!.Accepted.Count == 0,
            $"Replicas 0 and 2 promised round 5 with no votes: a quorum, done, and nothing to re-propose; the NACK's vote does not count. Got {(done2 ? Describe(result!.Accepted) : "not done")}.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    [Trait("Task", "4.3")]
    public void Every_QF_needs_three_of_four_replicas()
    {
        // A quorum is n / 2 + 1 (QuorumSize): 3 of 4. (n - 1) / 2 + 1 is 2 of 4, and the pairs {r0, r1} and {r2, r3} share no replica.
        var qspec = new PaxosQSpec(4);
        var prepare = new PrepareMsg { FromSlot = 1, Crnd = 5 };
        var promises = new Dictionary<uint, PromiseMsg> { [0] = new() { Rnd = 5 }, [1] = new() { Rnd = 5 } };
        Assert.False(qspec.PrepareQF(prepare, promises).Done, "PrepareQF with n = 4: 2 valid promises are not a quorum (that needs n / 2 + 1 = 3), so it must not be done.");
        promises[3] = new PromiseMsg { Rnd = 5 };
        Assert.True(qspec.PrepareQF(prepare, promises).Done, "PrepareQF with n = 4: 3 valid promises are a quorum (n / 2 + 1 = 3), so it should be done.");

        var accept = new AcceptMsg { Slot = 1, Rnd = 5, Val = Cmd("a", 1) };
        var learn = new LearnMsg { Slot = 1, Rnd = 5, Val = Cmd("a", 1) };
        var learns = new Dictionary<uint, LearnMsg> { [0] = learn, [1] = learn };
        Assert.False(qspec.AcceptQF(accept, learns).Done, "AcceptQF with n = 4: 2 matching learns are not a quorum (that needs n / 2 + 1 = 3), so slot 1 is not decided yet.");
        learns[2] = learn;
        Assert.True(qspec.AcceptQF(accept, learns).Done, "AcceptQF with n = 4: 3 matching learns are a quorum (n / 2 + 1 = 3), so it should be done.");

        var answer = new Response { ClientId = "a", ClientSeq = 1, Result = "ok" };
        var answers = new Dictionary<uint, Response> { [1] = answer, [2] = answer };
        Assert.False(qspec.ClientHandleQF(Cmd("a", 1), answers).Done, "ClientHandleQF with n = 4: 2 valid answers are not a quorum (that needs n / 2 + 1 = 3), so it must not be done.");
        answers[3] = answer;
        Assert.True(qspec.ClientHandleQF(Cmd("a", 1), answers).Done, "ClientHandleQF with n = 4: 3 valid answers are a quorum (n / 2 + 1 = 3), so it should be done.");
    }

    [Fact]
    [Trait("Task", "4.2")]
    public void PrepareQF_fills_a_gap_with_a_noop()
    {
        var replies = new Dictionary<uint, PromiseMsg>
        {
            [0] = new() { Rnd = 3, Accepted = { new PValue { Slot = 1, Vrnd = 1, Vval = Cmd("a", 1) }, new PValue { Slot = 3, Vrnd = 1, Vval = Cmd("c", 1) } } },
            [1] = new() { Rnd = 3 },
        };
        var (result, done) = new PaxosQSpec(3).PrepareQF(new PrepareMsg { FromSlot = 1, Crnd = 3 }, replies);
        Assert.True(done);
        Assert.Equal([1ul, 2ul, 3ul], result!.Accepted.Select(v => v.Slot));
        Assert.True(result.Accepted[1].Vval.IsNoop);
    }

    [Fact]
    [Trait("Task", "4.3")]
    public void AcceptQF_is_done_at_a_quorum_of_matching_learns()
    {
        var accept = new AcceptMsg { Slot = 2, Rnd = 3, Val = Cmd("a", 1) };
        var learn = new LearnMsg { Slot = 2, Rnd = 3, Val = Cmd("a", 1) };
        var qspec = new PaxosQSpec(3);
        Assert.False(qspec.AcceptQF(accept, new Dictionary<uint, LearnMsg> { [0] = learn }).Done);
        Assert.True(qspec.AcceptQF(accept, new Dictionary<uint, LearnMsg> { [0] = learn, [1] = learn }).Done);
    }

    [Fact]
    [Trait("Task", "4.3")]
    public void AcceptQF_does_not_count_a_learn_for_another_value()
    {
        var qspec = new PaxosQSpec(3);
        var accept = new AcceptMsg { Slot = 2, Rnd = 3, Val = Cmd("a", 1) };
        var learns = new Dictionary<uint, LearnMsg>
        {
            [0] = new() { Slot = 2, Rnd = 3, Val = Cmd("a", 1) },
            [1] = new() { Slot = 2, Rnd = 3, Val = Cmd("b", 1) },
        };
        Assert.False(qspec.AcceptQF(accept, learns).Done,
            "The accept is slot 2, round 3, value a#1. Replica 1's learn has the same slot and round but value b#1: it is not a vote for a#1. One matching learn of three replicas is not a quorum, so AcceptQF must not be done.");

        learns[2] = new LearnMsg { Slot = 2, Rnd = 3, Val = Cmd("a", 1) };
        var (result, done) = qspec.AcceptQF(accept, learns);
        Assert.True(done && result!.Val.ClientId == "a",
            $"Replicas 0 and 2 learned slot 2, round 3, a#1: a quorum of matching learns, so AcceptQF should be done with a#1; got {(done ? $"{result!.Val.ClientId}#{result.Val.ClientSeq}" : "not done")}.");
    }

    [Fact]
    [Trait("Task", "4.3")]
    public void ClientHandleQF_does_not_count_an_answer_to_the_clients_previous_request()
    {
        var qspec = new PaxosQSpec(3);
        var request = Cmd("a", 2);
        var answers = new Dictionary<uint, Response>
        {
            [0] = new() { ClientId = "a", ClientSeq = 1, Result = "old" },
            [1] = new() { ClientId = "a", ClientSeq = 1, Result = "old" },
            [2] = new() { ClientId = "a", ClientSeq = 2, Result = "new" },
        };
        var (result, done) = qspec.ClientHandleQF(request, answers);
        Assert.False(done,
            $"The request is client a, ClientSeq 2. Replicas 0 and 1 answered ClientSeq 1 (the client's previous request): those answers are not for this request. One valid answer of three is not a quorum, so ClientHandleQF must not be done; got done with ClientSeq {result?.ClientSeq} \"{result?.Result}\".");
    }

    [Fact]
    [Trait("Task", "4.3")]
    public void ClientHandleQF_does_not_count_an_error_answer()
    {
        var qspec = new PaxosQSpec(3);
        var answers = new Dictionary<uint, Response>
        {
            [0] = new() { ClientId = "a", ClientSeq = 1, Error = "deadline passed" },
            [1] = new() { ClientId = "a", ClientSeq = 1, Error = "deadline passed" },
            [2] = new() { ClientId = "a", ClientSeq = 1, Result = "ok" },
        };
        var (result, done) = qspec.ClientHandleQF(Cmd("a", 1), answers);
        Assert.False(done,
            $"Replicas 0 and 1 answered a#1 with an error (its deadline passed): an error is not a valid answer. One valid answer of three is not a quorum, so ClientHandleQF must not be done; got done with {(result?.Error.Length > 0 ? $"the error \"{result.Error}\"" : $"\"{result?.Result}\"")}.");
    }

    [Fact]
    [Trait("Task", "4.5")]
    public void Decisions_run_in_slot_order()
    {
        var log = new ReplicaLog(new KvStateMachine());
        Assert.Empty(log.Decide(2, Cmd("b", 1)));
        Assert.Equal([1ul, 2ul], log.Decide(1, Cmd("a", 1)).Select(e => e.Slot));
        Assert.Equal("b", log.StateMachine.Data["k"]);
    }

    [Fact]
    [Trait("Task", "4.5")]
    public void A_noop_advances_adu_without_running_anything()
    {
        var log = new ReplicaLog(new KvStateMachine());
        Assert.Empty(log.Decide(2, Cmd("b", 1))); // buffered: slot 1 is not decided yet

        var run = log.Decide(1, new Value { IsNoop = true });
        Assert.True(log.Adu == 2 && run.Select(e => e.Slot).SequenceEqual([1ul, 2ul]),
            $"Slot 2 (b#1) waited for slot 1; slot 1 is then decided as a no-op. A no-op is decided like any slot: adu moves to 1, and slot 2 runs at once. Expected adu = 2 and executions for slots 1, 2; got adu = {log.Adu} and executions for slots [{string.Join(", ", run.Select(e => e.Slot))}].");
        Assert.True(run[0].Response is null && log.StateMachine.Executed == 1,
            $"A no-op has no command: its Execution has no response (null) and the state machine runs nothing for it. Expected 1 command run (b#1); got {log.StateMachine.Executed}, and the no-op's response is {(run[0].Response is null ? "null" : "not null")}.");
    }

    [Fact]
    [Trait("Task", "4.5")]
    public void A_batch_runs_its_commands_in_order_and_each_once()
    {
        var log = new ReplicaLog(new KvStateMachine());
        log.Decide(1, Cmd("a", 1));
        var batch = new Value { Batch = { Cmd("b", 1), Cmd("a", 1), Cmd("c", 1) } };

        var run = Assert.Single(log.Decide(2, batch));
        Assert.Equal(2ul, log.Adu);
        Assert.Equal(["b", "a", "c"], run.Response!.Batch.Select(r => r.ClientId));
        Assert.Equal(3, log.StateMachine.Executed); // a#1 ran in slot 1; its repeat in the batch is answered, not run
        Assert.Equal("c", log.StateMachine.Data["k"]);
    }

    [Fact]
    [Trait("Task", "4.6")]
    public async Task A_request_whose_command_ran_before_it_registered_is_answered_at_once()
    {
        var ran = new Response { ClientId = "a", ClientSeq = 1, Result = "v" };
        var handler = new ClientHandler(4, TimeProvider.System, TimeSpan.FromMinutes(5), v => v.ClientId == "a" ? ran : null);
        handler.Complete(ran); // the command ran before the request registered: nobody to wake

        var answer = handler.HandleAsync(Cmd("a", 1), enqueue: true, CancellationToken.None);
        await Testing.Eventually.WaitAsync(() => answer.IsCompleted, "the answer from the session table");
        Assert.Equal("v", (await answer).Result);
    }
}
