using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Leader change (task 4.4) and the client handler (task 4.6), on three replicas.</summary>
public sealed class LeaderChangeTests : IAsyncDisposable
{
    private readonly ReplicaGroup _group = new();

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    private static Value Put(string client, string key, string value) =>
        new() { ClientId = client, ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = key, Value = value } };

    [Fact]
    [Graded("4.4", 6)]
    public async Task A_new_leader_reproposes_accepted_values_fills_holes_and_proposes_pending_requests()
    {
        // The old leader r2 decided slot 1, got slot 2 accepted by r0 only and slot 4 by r1 only, then crashed.
        var (a, x, y) = (Put("a", "k", "1"), Put("x", "kx", "X"), Put("y", "ky", "Y"));
        foreach (var r in _group.Replicas)
        {
            r.State.Decide(1, a);
        }

        _group.Replicas[0].State.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        _group.Replicas[0].State.Accept(new AcceptMsg { Slot = 2, Rnd = 2, Val = x });
        _group.Replicas[1].State.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        _group.Replicas[1].State.Accept(new AcceptMsg { Slot = 4, Rnd = 2, Val = y });
        _group.Crash(2);

        // x and y still wait for their answers; z arrives while no leader is trusted.
        var xDone = _group.Client("x").RunAsync(x.Command);
        var yDone = _group.Client("y").RunAsync(y.Command);
        var zDone = _group.Client("z").PutAsync("kz", "Z");
        await Eventually.WaitAsync(() => xDone.IsCompleted || _group.Replicas[0].Handler.WaitingCount + _group.Replicas[1].Handler.WaitingCount == 6,
            "replicas r0 and r1 to hold the three client requests");

        _group.Lead(1, 0, 1);
        await Eventually.WithinAsync(Task.WhenAll(xDone, yDone, zDone), "the three waiting clients to complete under the new leader r1");

        foreach (uint id in new uint[] { 0, 1 })
        {
            await Eventually.WaitAsync(() => _group.Replicas[id].State.Adu >= 5, $"replica r{id} to execute slots 1–5");
            var log = _group.Log(id);
            Assert.True(log.StartsWith("1:a#1 2:x#1 3:no-op 4:y#1 5:z#1", StringComparison.Ordinal),
                $"After the leader change replica r{id}'s log must be 1:a#1 2:x#1 3:no-op 4:y#1 5:z#1 — slot 2 and 4 re-proposed in place, the hole at 3 filled with a no-op, then the pending request z — but it is: {log}");
            Assert.True(_group.Replicas[id].State.Data["kx"] == "X" && _group.Replicas[id].State.Data["ky"] == "Y" && _group.Replicas[id].State.Data["kz"] == "Z",
                $"Replica r{id} must have executed x, y and z.");
        }
    }

    [Fact]
    [Graded("4.4", 2)]
    public async Task A_new_leader_reproposes_the_promised_slots_before_any_pending_request()
    {
        // r0 accepted x in slot 2 under the crashed leader r2; z waits at r0 and r1 for a leader.
        var accepts = new AcceptGate { Holds = false };
        await using var group = new ReplicaGroup(scheduler: accepts);
        var x = Put("x", "kx", "X");
        group.Replicas[0].State.Prepare(new PrepareMsg { FromSlot = 1, Crnd = 2 });
        group.Replicas[0].State.Accept(new AcceptMsg { Slot = 2, Rnd = 2, Val = x });
        group.Crash(2);
        var xDone = group.Client("x").RunAsync(x.Command);
        var zDone = group.Client("z").PutAsync("kz", "Z");
        await Eventually.WaitAsync(() => group.Replicas[0].Handler.WaitingCount + group.Replicas[1].Handler.WaitingCount == 4,
            "replicas r0 and r1 to hold the two client requests");

        group.Lead(1, 0, 1);
        await Eventually.WithinAsync(Task.WhenAll(xDone, zDone), "the two waiting clients to complete under the new leader r1");

        var order = accepts.FirstSlots();
        Assert.True(order.Take(2).SequenceEqual([1UL, 2UL]),
            $"Phase 1 of the new leader r1 returned slot 2 (x, accepted by r0) and the hole at slot 1 (a no-op): both must be re-proposed BEFORE any pending client request is proposed in a new slot, but the accepts went out for slots {string.Join(", ", order)} in that order.");
    }

    [Fact]
    [Graded("4.4", 3)]
    public async Task A_stable_leader_serves_many_requests_and_all_replicas_execute_the_same_log()
    {
        _group.Lead(2, 0, 1, 2);
        var clients = Enumerable.Range(0, 4).Select(i => _group.Client($"c{i}")).ToList();
        var work = clients.Select(async c =>
        {
            for (var i = 0; i < 10; i++)
            {
                await c.AppendAsync("log", $"{c.ClientId}.{i};");
            }
        });
        await Eventually.WithinAsync(Task.WhenAll(work), "4 clients × 10 appends under a stable leader");

        // Slots may hold batches of several appends, so count the appends, not the slots.
        await Eventually.WaitAsync(() => _group.Replicas.All(r => r.State.Data.GetValueOrDefault("log", "").Count(c => c == ';') >= 40), "every replica to execute the 40 appends");
        var logs = _group.Replicas.Select(r => r.State.Data["log"]).Distinct().ToList();
        Assert.True(logs.Count == 1, $"Every replica executes the same log, but their values of 'log' differ: {string.Join(" | ", logs)}");
        Assert.True(logs[0].Split(';', StringSplitOptions.RemoveEmptyEntries).Length == 40, "Each of the 40 appends must run exactly once.");
        Assert.True(_group.Replicas[2].Proposer.Terms == 1, $"With a stable leader phase 1 runs once; the leader ran {_group.Replicas[2].Proposer.Terms} terms.");
    }

    [Fact]
    [Graded("4.6", 3)]
    public async Task A_retried_request_is_executed_once_and_answered()
    {
        _group.Lead(0, 0, 1, 2);
        var request = new Value { ClientId = "r", ClientSeq = 1, Command = new KvCommand { Op = KvCommand.Types.Op.Append, Key = "k", Value = "+" } };
        var client = _group.Client("r");
        var first = await Eventually.WithinAsync(client.RunAsync(request.Command), "the first append (client r, seq 1)");

        var peers = _group.Configuration("again");
        var again = await Eventually.WithinAsync(peers.ClientHandleAsync(request), "the same request (client r, seq 1) sent again");
        Assert.True(again.Result == "+", $"The retry of client r's request 1 must be answered from the session table with the first result '+', got '{again.Result}' (error '{again.Error}').");
        await Eventually.WaitAsync(() => _group.Replicas.All(r => r.State.Data.GetValueOrDefault("k") == "+"), "every replica to hold k = +");
        Assert.True(first == "+", "The first append returns the value after appending.");
        await Eventually.WaitAsync(
            () => _group.Replicas.All(r => r.Handler.WaitingCount == 0),
            "every replica to remove the answered request (client r, seq 1) from its waiting map: an executed request's entry must leave the map when it completes");
    }

    [Fact]
    [Graded("4.6", 2)]
    public async Task A_request_that_waits_past_its_deadline_gets_an_error_and_leaves_no_entry()
    {
        await using var group = new ReplicaGroup(options: new ReplicaOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var peers = group.Configuration("w");
        // No leader: nothing is ever executed, so every replica's wait ends at its deadline.
        var error = await Assert.ThrowsAsync<Gorums.QuorumCallException>(() => Eventually.WithinAsync(
            peers.ClientHandleAsync(new Value { ClientId = "w", ClientSeq = 1, Command = new KvCommand { Key = "k" } }),
            "a request that no leader will execute"));
        Assert.True(error.Cause == Gorums.QuorumCallError.Incomplete, $"Each replica must answer with an error Response at its deadline (so the call ends Incomplete), not {error.Cause}.");
        var reply = await group.Replicas[0].Handler.HandleAsync(new Value { ClientId = "w", ClientSeq = 2, Command = new KvCommand { Key = "k" } }, enqueue: false, CancellationToken.None);
        Assert.True(reply.ClientId == "w" && reply.ClientSeq == 2 && reply.Error.Length > 0,
            $"At its deadline the client handler must answer the request it was given (client w, seq 2) with an error saying why; got client '{reply.ClientId}', seq {reply.ClientSeq}, error '{reply.Error}'.");
        Assert.True(group.Replicas.All(r => r.Handler.WaitingCount == 0), "A request that timed out must be removed from the waiting map.");
    }
}
