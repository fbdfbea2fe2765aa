using Microsoft.Extensions.Time.Testing;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>The client handler (task 4.6) on its own, with the interleavings a real server produces.</summary>
public sealed class ClientHandlerTests
{
    [Fact]
    [Graded("4.6", 2)]
    public async Task A_request_whose_command_ran_before_it_registered_is_answered_from_the_session_table()
    {
        // On a real server the command can run on another thread just before the request
        // registers: Complete then finds nobody to wake. The handler must notice it through the
        // session table once its entry is in place, not wait for the deadline (which never comes
        // here: the fake clock does not move).
        var request = Cmd("a", 1);
        var ran = new Response { ClientId = "a", ClientSeq = 1, Result = "v" };
        var table = new Dictionary<(string, ulong), Response>();
        var handler = new ClientHandler(4, new FakeTimeProvider(), TimeSpan.FromSeconds(5), v => table.GetValueOrDefault((v.ClientId, v.ClientSeq)));
        table[("a", 1)] = ran;
        handler.Complete(ran);

        var answer = handler.HandleAsync(request, enqueue: true, CancellationToken.None);
        await Eventually.WaitAsync(() => answer.IsCompleted,
            "a request whose command ran before it registered to be answered from the session table (after registering, ask it, and Complete the entry when it has the response)");
        var response = await answer;
        Assert.True(response.Result == "v" && response.Error.Length == 0, $"The answer must be the session table's response 'v', got '{response.Result}' (error '{response.Error}').");
        Assert.True(handler.WaitingCount == 0, "An answered request must leave no entry in the waiting map.");
        Assert.False(handler.Queue.Reader.TryRead(out _), "A request that has run already must not be queued for the proposer again.");
    }

    [Fact]
    [Graded("4.6", 2)]
    public async Task A_retry_that_arrives_while_the_request_waits_shares_its_entry_and_both_are_answered()
    {
        // The deadline never passes: only the execution can answer the two waiters.
        var handler = new ClientHandler(4, new FakeTimeProvider(), TimeSpan.FromMinutes(1));
        var request = new Value { ClientId = "c", ClientSeq = 7, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = "v" } };
        var first = handler.HandleAsync(request, enqueue: false, CancellationToken.None);
        var retry = handler.HandleAsync(request.Clone(), enqueue: false, CancellationToken.None);

        handler.Complete(new Response { ClientId = "c", ClientSeq = 7, Result = "v" });

        var answers = await Eventually.WithinAsync(
            Task.WhenAll(first, retry),
            "both the first send of client c's request 7 and its retry (sent while the first still waited) to be answered when the request ran: a retry must reuse the waiting entry of the same (ClientId, ClientSeq), not replace it");
        Assert.True(answers.All(a => a.Result == "v" && a.Error.Length == 0), $"Both waiters of client c's request 7 must get its response 'v'; they got {string.Join(", ", answers.Select(a => $"'{a.Result}' (error '{a.Error}')"))}.");
        Assert.True(handler.WaitingCount == 0, $"The answered request must leave the waiting map; it holds {handler.WaitingCount} entries.");
    }

    [Fact]
    [Graded("4.6", 2)]
    public async Task Two_clients_waiting_on_the_same_ClientSeq_each_get_their_own_response()
    {
        // Clients a and b both number their first request 1: only (ClientId, ClientSeq) tells
        // their waiters apart. The fake clock never moves, so no deadline answers anyone.
        var handler = new ClientHandler(4, new FakeTimeProvider(), TimeSpan.FromMinutes(1));
        var a = handler.HandleAsync(Cmd("a", 1, "ka", "A"), enqueue: false, CancellationToken.None);
        var b = handler.HandleAsync(Cmd("b", 1, "kb", "B"), enqueue: false, CancellationToken.None);
        await Eventually.WaitAsync(() => handler.WaitingCount == 2 || a.IsCompleted || b.IsCompleted,
            "the requests of client a (seq 1) and client b (seq 1) to wait in the handler as two entries");

        handler.Complete(new Response { ClientId = "b", ClientSeq = 1, Result = "B" });
        await Eventually.WaitAsync(() => a.IsCompleted || b.IsCompleted, "client b's request 1 to be answered after it ran");
        if (a.IsCompleted)
        {
            var wrong = await a;
            Assert.Fail($"Only client b's request 1 ran, yet client a's waiter (request 1) was answered, with client '{wrong.ClientId}' seq {wrong.ClientSeq} result '{wrong.Result}' (error '{wrong.Error}'), and client b's waiter {(b.IsCompleted ? "was answered too" : "still waits")}. Complete must find the waiter by (ClientId, ClientSeq): two clients may wait on the same ClientSeq.");
        }

        var forB = await b;
        Assert.True(forB.ClientId == "b" && forB.ClientSeq == 1 && forB.Result == "B" && forB.Error.Length == 0,
            $"Client b's waiter (request 1) must get b's response 'B', got client '{forB.ClientId}' seq {forB.ClientSeq} result '{forB.Result}' (error '{forB.Error}').");

        handler.Complete(new Response { ClientId = "a", ClientSeq = 1, Result = "A" });
        var forA = await Eventually.WithinAsync(a, "client a's request 1 to be answered after it ran (its entry must still wait after b's answer)");
        Assert.True(forA.ClientId == "a" && forA.ClientSeq == 1 && forA.Result == "A" && forA.Error.Length == 0,
            $"Client a's waiter (request 1) must get a's response 'A', got client '{forA.ClientId}' seq {forA.ClientSeq} result '{forA.Result}' (error '{forA.Error}').");
        Assert.True(handler.WaitingCount == 0, $"Both answered requests must leave the waiting map; it holds {handler.WaitingCount} entries.");
    }
}
