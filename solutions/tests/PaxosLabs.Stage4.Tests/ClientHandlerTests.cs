using Microsoft.Extensions.Time.Testing;
using PaxosLabs.MultiPaxos;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// Task 4.6: the client handler on its own, with time that moves only when a test moves it. Each
/// test ends by moving time past the deadline, so a request that nobody completed ends at once
/// with its error reply instead of hanging.
/// </summary>
[Trait("Stage", "4")]
[Trait("Task", "4.6")]
public sealed class ClientHandlerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();

    private ClientHandler Handler() => new(alpha: 4, _time, Deadline);

    private static Value Cmd(string client, ulong seq) =>
        new() { ClientId = client, ClientSeq = seq, Command = new KvCommand { Op = KvCommand.Types.Op.Put, Key = "k", Value = client } };

    private static Response Ran(string client, ulong seq) => new() { ClientId = client, ClientSeq = seq, Result = $"result of {client}#{seq}" };

    private static string Show(Response r) => r.Error.Length > 0 ? $"{r.ClientId}#{r.ClientSeq} error \"{r.Error}\"" : $"{r.ClientId}#{r.ClientSeq} \"{r.Result}\"";

    [Fact]
    public async Task An_answered_request_leaves_the_waiting_map()
    {
        var handler = Handler();
        var answer = handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);
        Assert.True(handler.WaitingCount == 1, $"a#1 waits for its command to run: the waiting map should hold 1 entry; it holds {handler.WaitingCount}.");

        handler.Complete(Ran("a", 1));
        _time.Advance(Deadline);
        var response = await Eventually.WithinAsync(answer, "the answer to a#1");
        Assert.True(response.Error.Length == 0 && response.Result == "result of a#1", $"a#1 ran before its deadline, so it should get its result \"result of a#1\"; got {Show(response)}.");
        Assert.True(handler.WaitingCount == 0,
            $"a#1 was answered, so Complete must REMOVE its entry from the waiting map (a stale entry is forwarded again at every leader change); the map still holds {handler.WaitingCount}.");
    }

    [Fact]
    public async Task A_request_past_its_deadline_gets_an_error_and_leaves_the_waiting_map()
    {
        var handler = Handler();
        var answer = handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);

        _time.Advance(Deadline);
        var response = await Eventually.WithinAsync(answer, "the error reply to a#1 at its deadline (RequestTimeout, on the TimeProvider)");
        Assert.True(response.ClientId == "a" && response.ClientSeq == 1 && response.Error.Length > 0,
            $"Nothing ran a#1, so at its deadline it gets an error Response for client a, ClientSeq 1, with a non-empty Error; got {Show(response)}.");
        Assert.True(handler.WaitingCount == 0,
            $"At the deadline the request's entry must be removed from the waiting map too (the client retries with the same ClientSeq); the map still holds {handler.WaitingCount}.");
    }

    [Fact]
    public async Task A_retry_that_arrives_while_the_request_waits_is_answered_with_it()
    {
        var handler = Handler();
        var first = handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);
        var retry = handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);
        Assert.True(handler.WaitingCount == 1, $"A retry of a#1 while a#1 waits reuses its entry: the waiting map should hold 1 entry; it holds {handler.WaitingCount}.");

        handler.Complete(Ran("a", 1));
        _time.Advance(Deadline);
        var responses = await Eventually.WithinAsync(Task.WhenAll(first, retry), "the answers to a#1 and its retry");
        Assert.True(responses.All(r => r.Error.Length == 0 && r.Result == "result of a#1"),
            $"a#1 ran once, before the deadline: the first copy and the retry both wait on the same entry and both get \"result of a#1\". Got first: {Show(responses[0])}, retry: {Show(responses[1])}.");
    }

    [Fact]
    public async Task Two_clients_waiting_on_the_same_ClientSeq_each_get_their_own_response()
    {
        var handler = Handler();
        var a = handler.HandleAsync(Cmd("a", 1), enqueue: false, CancellationToken.None);
        var b = handler.HandleAsync(Cmd("b", 1), enqueue: false, CancellationToken.None);

        handler.Complete(Ran("b", 1));
        handler.Complete(Ran("a", 1));
        _time.Advance(Deadline);
        var responses = await Eventually.WithinAsync(Task.WhenAll(a, b), "the answers to a#1 and b#1");
        Assert.True(responses[0].ClientId == "a" && responses[0].Result == "result of a#1" && responses[1].ClientId == "b" && responses[1].Result == "result of b#1",
            $"Clients a and b both wait on ClientSeq 1; the waiting map is keyed by (ClientId, ClientSeq), so each gets its own response. Got a: {Show(responses[0])}, b: {Show(responses[1])}.");
    }
}
