using Microsoft.Extensions.Time.Testing;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>The client handler's waiting map (task 4.6), on its own.</summary>
public class ClientHandlerTests
{
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
}
