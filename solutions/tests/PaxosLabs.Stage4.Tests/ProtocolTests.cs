using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage4.Tests;

/// <summary>Tasks 4.1–4.3 and 4.5: the pure parts of Multi-Paxos, on small examples.</summary>
[Trait("Stage", "4")]
public class ProtocolTests
{
    private static Value Cmd(string client, ulong seq) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = client } };

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
