using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Testing;

namespace PaxosLabs.Stage3.Tests;

/// <summary>Tasks 3.1 and 3.2: the failure detector of node 0 among nodes 0, 1, 2, on a fake clock.</summary>
[Trait("Stage", "3")]
public class FailureDetectorTests
{
    private static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);
    private static readonly string[] Requests = ["request 0->0", "request 0->1", "request 0->2"];

    private readonly FakeTimeProvider _time = new();
    private readonly DetectorLog _recorder = new();
    private readonly FailureDetector _detector;

    public FailureDetectorTests()
    {
        _detector = new FailureDetector(0, [0, 1, 2], Delta, _recorder, _recorder, _time);
        _detector.Start();
    }

    private void Reply(params uint[] from)
    {
        foreach (var id in from)
        {
            _detector.Handle(new Heartbeat { From = id, To = 0, Request = false });
        }
    }

    /// <summary>Moves the fake clock to the next timeout and returns what the detector did.</summary>
    private List<string> Timeout()
    {
        _recorder.Take();
        _time.Advance(_detector.Delay);
        return _recorder.Take();
    }

    private static string Show(IEnumerable<string> log) => $"[{string.Join(", ", log)}]";

    private static string Show(IEnumerable<uint> ids) => $"{{{string.Join(", ", ids)}}}";

    /// <summary>Fails with both sequences and what the step was about when they differ.</summary>
    private static void Expect(string[] expected, List<string> actual, string what)
    {
        var hint = actual.Count == 0
            ? "\n  Nothing happened at all: was the timer restarted at the end of the previous timeout, with StartTimer(_delay)? A one-shot timer that is not restarted fires only once."
            : "";
        Assert.True(expected.SequenceEqual(actual), $"{what}\n  expected: {Show(expected)}\n  actual:   {Show(actual)}{hint}");
    }

    [Fact]
    [Trait("Task", "3.1")]
    public void A_request_is_answered_at_once()
    {
        _detector.Handle(new Heartbeat { From = 2, To = 0, Request = true });
        Assert.Equal(["reply 0->2"], _recorder.Take());
    }

    [Fact]
    [Trait("Task", "3.1")]
    public void A_reply_marks_its_sender_alive()
    {
        Timeout();
        Reply(1);
        Assert.Equal([1u], _detector.Alive);
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void The_first_timeout_suspects_no_one_and_asks_every_node()
    {
        Assert.Equal(Requests, Timeout());
        Assert.Empty(_detector.Alive);
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void A_silent_node_is_suspected_then_restored_and_the_delay_grows()
    {
        Timeout();
        Reply(0, 1);
        Assert.Equal(["suspect 2", .. Requests], Timeout());

        Reply(0, 1, 2);
        Assert.Equal(["restore 2", .. Requests], Timeout());
        Assert.Equal(2 * Delta, _detector.Delay);
    }

    [Fact]
    [Trait("Task", "3.1")]
    public void A_request_marks_no_one_alive()
    {
        Timeout(); // timeout #1 clears the alive set
        _detector.Handle(new Heartbeat { From = 1, To = 0, Request = true });
        _detector.Handle(new Heartbeat { From = 0, To = 0, Request = true });
        Assert.True(_detector.Alive.Count == 0,
            $"Node 0 received heartbeat REQUESTS from node 1 and from itself, and no reply: a request only asks for a reply, it does not show that the sender answers node 0's own requests, so no node is alive yet. Expected Alive = {{}}, got {Show(_detector.Alive)}. Only a reply (Request = false) marks its sender alive.");
    }

    [Fact]
    [Trait("Task", "3.1")]
    public void A_reply_from_a_node_outside_the_configuration_marks_no_one_alive()
    {
        Timeout(); // timeout #1 clears the alive set
        _detector.Handle(new Heartbeat { From = 7, To = 0, Request = false });
        Assert.True(_detector.Alive.Count == 0,
            $"Node 0 watches nodes {{0, 1, 2}} and received a heartbeat reply from node 7, which is not one of them: it changes nothing. Expected Alive = {{}}, got {Show(_detector.Alive)}. Add the sender to the alive set only when it is one of the watched nodes (_known).");
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void This_node_asks_suspects_and_restores_itself_like_any_other()
    {
        Expect(Requests, Timeout(),
            "Node 0, timeout #1: everyone is alive at start, so no one is suspected; then node 0 sends a request to EVERY node, itself included (request 0->0), in ascending id order.");

        Reply(1, 2); // node 0's own reply is missing
        Expect(["suspect 0", .. Requests], Timeout(),
            "Node 0, timeout #2: nodes 1 and 2 replied but node 0's reply to itself did not arrive, so node 0 suspects ITSELF (the suspicion loop covers every node, this one too), then asks every node again.");

        Reply(0, 1, 2);
        Expect(["restore 0", .. Requests], Timeout(),
            "Node 0, timeout #3: node 0's own reply arrived, so node 0 restores itself, then asks every node again.");
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void The_delay_grows_by_delta_once_per_timeout_however_many_nodes_are_restored()
    {
        Timeout();
        Reply(0); // nodes 1 and 2 are silent
        Expect(["suspect 1", "suspect 2", .. Requests], Timeout(),
            "Node 0, timeout #2: only node 0 replied, so nodes 1 and 2 are suspected, in ascending id order, before the requests.");

        Reply(0, 1, 2);
        Expect(["restore 1", "restore 2", .. Requests], Timeout(),
            "Node 0, timeout #3: nodes 1 and 2 replied after all, so both are restored, in ascending id order, before the requests.");
        Assert.True(_detector.Delay == 2 * Delta,
            $"Node 0, timeout #3 restored TWO nodes (1 and 2): that is one piece of evidence that the timeout was too short, so the delay grows by delta ({Delta.TotalMilliseconds} ms) ONCE for this timeout, from {Delta.TotalMilliseconds} ms to {(2 * Delta).TotalMilliseconds} ms. Got {_detector.Delay.TotalMilliseconds} ms. Decide \"was some suspected node alive?\" once, before the loop, not once per node.");
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void The_timer_restarts_with_the_grown_delay()
    {
        Timeout();
        Reply(0, 1);
        Timeout(); // timeout #2 suspects node 2
        Reply(0, 1, 2);
        Expect(["restore 2", .. Requests], Timeout(),
            "Node 0, timeout #3: node 2 replied after all, so it is restored, before the requests.");
        Assert.True(_detector.Delay == 2 * Delta,
            $"Node 0, timeout #3 restored node 2, so the delay grows from {Delta.TotalMilliseconds} ms to {(2 * Delta).TotalMilliseconds} ms; got {_detector.Delay.TotalMilliseconds} ms.");

        Reply(0, 1, 2);
        _time.Advance(2 * Delta - TimeSpan.FromMilliseconds(1));
        var early = _recorder.Take();
        Assert.True(early.Count == 0,
            $"Node 0: timeout #4 must come {(2 * Delta).TotalMilliseconds} ms after timeout #3 (the delay as it is after #3), but it fired less than {(2 * Delta).TotalMilliseconds} ms after #3: {Show(early)}. Restart the timer at the END of the timeout procedure, after growing the delay, with StartTimer(_delay); a timer restarted before the delay grows, or one that keeps the first delay ({Delta.TotalMilliseconds} ms), fires too early.");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Expect(Requests, _recorder.Take(),
            $"Node 0, timeout #4 must fire exactly {(2 * Delta).TotalMilliseconds} ms after timeout #3; every node replied in between, so it only asks every node again. Nothing at all (actual: []) means the timer was not restarted at the end of timeout #3 (StartTimer(_delay)), and the detector stopped watching.");
    }

    [Fact]
    [Trait("Task", "3.2")]
    public void After_Stop_nothing_happens()
    {
        Timeout();
        _detector.Stop();
        _detector.Stop();
        _time.Advance(10 * Delta);
        Assert.Empty(_recorder.Take());
    }
}
