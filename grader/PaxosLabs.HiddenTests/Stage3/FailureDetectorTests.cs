using PaxosLabs.Detectors;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage3;

/// <summary>The eventually perfect failure detector: heartbeat handling (3.1) and the timeout procedure (3.2), on a fake clock.</summary>
public class FailureDetectorTests
{
    private static readonly TimeSpan Delta = DetectorProbe.Delta;

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(7u)]
    [Graded("3.1", 2)]
    public void A_request_from_any_node_is_answered_at_once_with_a_reply_to_that_node(uint requester)
    {
        var probe = new DetectorProbe(1, 0, 1, 2);
        probe.Recorder.Take();

        probe.Detector.Handle(new Heartbeat { From = requester, To = 1, Request = true });

        var sent = probe.Recorder.Sent;
        Assert.True(sent.Count == 1,
            $"Node 1 got a heartbeat request from node {requester}{(requester == 7 ? " (not one of its nodes)" : requester == 1 ? " (itself)" : "")}: it must send exactly one reply before Handle returns, but sent {sent.Count} heartbeat(s): {DetectorLog.Show(probe.Recorder.Take())}.");
        var reply = sent[0];
        Assert.True(reply.From == 1 && reply.To == requester && !reply.Request,
            $"Node 1's answer to node {requester} must be Heartbeat {{ From = 1, To = {requester}, Request = false }}, got {{ From = {reply.From}, To = {reply.To}, Request = {reply.Request} }}.");
        Assert.True(probe.Detector.Suspected.Count == 0, "Answering a request suspects no one.");
    }

    [Fact]
    [Graded("3.1", 3)]
    public void A_reply_marks_its_sender_alive_and_a_request_marks_no_one()
    {
        var probe = new DetectorProbe(1, 0, 1, 2);
        probe.Timeout(); // the alive set is cleared

        probe.Reply(2);
        var afterReply = probe.Recorder.Take();
        Assert.True(afterReply.Count == 0,
            $"Node 1 got a reply from node 2: a reply is never answered (nor reported), or two nodes would ping-pong for ever; node 1 did {DetectorLog.Show(afterReply)}.");
        probe.Detector.Handle(new Heartbeat { From = 0, To = 1, Request = true });
        probe.Reply(7); // not one of the nodes 0, 1, 2
        probe.Recorder.Take();

        Assert.True(probe.Detector.Alive.SequenceEqual([2u]),
            $"After timeout #1 node 1 got a reply from node 2, a request from node 0 and a reply from node 7, which is not one of the nodes 0, 1, 2: only node 2 is alive (a request is not a reply; a reply marks its sender alive only when it is one of the nodes, protocol §3.1), but Alive is [{string.Join(", ", probe.Detector.Alive)}].");

        var second = probe.Timeout();
        probe.AssertTimeout(2, second, ["suspect 0", "suspect 1", .. probe.Requests(0, 1, 2)],
            "Only node 2 replied since timeout #1, so nodes 0 and 1 (node 1 too: it never answered itself) are suspected and node 2 is not.");
    }

    [Fact]
    [Graded("3.2", 2)]
    public void The_first_timeout_suspects_no_one_because_every_node_starts_alive()
    {
        var probe = new DetectorProbe(1, 0, 1, 2);

        var first = probe.Timeout();

        probe.AssertTimeout(1, first, probe.Requests(0, 1, 2),
            "Every node, this one included, is alive at start, so the first timeout suspects no one; it sends a request to every node, ascending.");
        probe.AssertDelay(1, Delta, "Nothing was restored, so the delay stays delta.");
        Assert.True(probe.Detector.Suspected.Count == 0, $"No node is suspected after the first timeout; Suspected is [{string.Join(", ", probe.Detector.Suspected)}].");
    }

    [Fact]
    [Graded("3.2", 2)]
    public void Requests_go_to_every_node_including_this_one_in_ascending_id_order_at_every_timeout()
    {
        var probe = new DetectorProbe(5, 9, 5, 0, 2); // given out of order
        for (var k = 1; k <= 4; k++)
        {
            if (k == 3)
            {
                probe.Reply(0, 2, 5, 9); // whatever is suspected or not, every node is asked
            }

            var log = probe.Timeout();
            var requests = log.Where(l => l.StartsWith("request", StringComparison.Ordinal)).ToList();
            probe.AssertTimeout(k, requests, probe.Requests(0, 2, 5, 9),
                "Each timeout sends one request (Heartbeat { From = 5, To = id, Request = true }) to every node, this node (5) included and suspected nodes included, in ascending id order.");
        }
    }

    [Fact]
    [Graded("3.2", 3)]
    public void A_silent_node_is_suspected_once_and_restored_when_it_replies_and_the_delay_grows()
    {
        var probe = new DetectorProbe(0, 0, 1, 2);
        probe.AssertTimeout(1, probe.Timeout(), probe.Requests(0, 1, 2), "Every node starts alive: no suspicion.");

        probe.Reply(0, 1);
        probe.AssertTimeout(2, probe.Timeout(), ["suspect 2", .. probe.Requests(0, 1, 2)],
            "Nodes 0 and 1 replied, node 2 did not: suspect node 2 (Suspect(2)) before sending the requests.");
        probe.AssertDelay(2, Delta, "A suspicion alone does not change the delay.");

        probe.Reply(0, 1);
        probe.AssertTimeout(3, probe.Timeout(), probe.Requests(0, 1, 2),
            "Node 2 is still silent but already suspected: no second Suspect(2).");

        probe.Reply(1, 2, 0);
        probe.AssertTimeout(4, probe.Timeout(), ["restore 2", .. probe.Requests(0, 1, 2)],
            "Suspected node 2 replied: restore it (Restore(2)) before sending the requests.");
        probe.AssertDelay(4, 2 * Delta, "Node 2 was suspected but alive (a false suspicion): the delay grows by delta.");

        probe.Reply(0, 1, 2);
        probe.AssertTimeout(5, probe.Timeout(), probe.Requests(0, 1, 2), "Everyone replied and no one is suspected: nothing to do.");
        probe.AssertDelay(5, 2 * Delta, "The delay only grows when a suspected node turns out alive.");
    }

    [Fact]
    [Graded("3.2", 3)]
    public void The_delay_grows_by_delta_once_per_timeout_however_many_nodes_are_restored()
    {
        var probe = new DetectorProbe(0, 3, 1, 0, 2);
        probe.Timeout();

        probe.Reply(0);
        probe.AssertTimeout(2, probe.Timeout(), ["suspect 1", "suspect 2", "suspect 3", .. probe.Requests(0, 1, 2, 3)],
            "Only node 0 replied: suspect nodes 1, 2 and 3, in ascending id order.");

        probe.Reply(3, 2, 1, 0);
        probe.AssertTimeout(3, probe.Timeout(), ["restore 1", "restore 2", "restore 3", .. probe.Requests(0, 1, 2, 3)],
            "All three suspected nodes replied: restore them in ascending id order.");
        probe.AssertDelay(3, 2 * Delta, "Three nodes were restored in one timeout, but the delay grows by delta only ONCE per timeout (delta → 2·delta), not once per node.");

        probe.Reply(0, 1, 2);
        probe.AssertTimeout(4, probe.Timeout(), ["suspect 3", .. probe.Requests(0, 1, 2, 3)], "Node 3 fell silent again.");
        probe.Reply(0, 1, 2, 3);
        probe.AssertTimeout(5, probe.Timeout(), ["restore 3", .. probe.Requests(0, 1, 2, 3)], "Node 3 is back.");
        probe.AssertDelay(5, 3 * Delta, "A second false suspicion adds delta again: 3·delta.");
    }

    [Fact]
    [Graded("3.2", 3)]
    public void The_timer_restarts_with_the_new_delay_so_the_next_timeout_fires_at_the_new_delay_not_the_old()
    {
        var probe = new DetectorProbe(0, 0, 1);
        probe.Timeout();
        probe.Reply(0);
        probe.Timeout(); // suspects 1
        probe.Reply(0, 1);
        probe.AssertTimeout(3, probe.Timeout(), ["restore 1", .. probe.Requests(0, 1)], "Suspected node 1 replied: restore it.");
        probe.AssertDelay(3, 2 * Delta, "Node 1 was a false suspicion.");
        probe.Reply(0, 1);

        var timeouts = probe.Detector.Timeouts;
        probe.Time.Advance(Delta);
        Assert.True(probe.Detector.Timeouts == timeouts && probe.Recorder.Sent.Count == 0,
            $"Node 0: timeout #3 raised the delay to {2 * Delta.TotalMilliseconds} ms, so nothing may fire {Delta.TotalMilliseconds} ms (the OLD delay) after it, " +
            $"but {probe.Detector.Timeouts - timeouts} timeout(s) ran and {probe.Recorder.Sent.Count} heartbeat(s) were sent. Restart the timer with the new delay.");

        probe.Time.Advance(Delta - TimeSpan.FromMilliseconds(1));
        Assert.True(probe.Detector.Timeouts == timeouts,
            $"Node 0: timeout #4 is due {2 * Delta.TotalMilliseconds} ms after timeout #3, not {2 * Delta.TotalMilliseconds - 1} ms.");

        probe.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(probe.Detector.Timeouts == timeouts + 1,
            $"Node 0: timeout #4 must fire exactly {2 * Delta.TotalMilliseconds} ms (the new delay) after timeout #3; {probe.Detector.Timeouts - timeouts} timeouts ran.");
        Assert.True(probe.Recorder.Take().SequenceEqual(probe.Requests(0, 1)), "Timeout #4: both nodes replied, so only the requests go out.");
    }

    [Fact]
    [Graded("3.2", 2)]
    public void The_alive_set_is_cleared_after_each_timeout()
    {
        var probe = new DetectorProbe(2, 0, 1, 2);
        probe.Timeout();
        Assert.True(probe.Detector.Alive.Count == 0,
            $"Node 2, right after timeout #1: the alive set must be empty, it is [{string.Join(", ", probe.Detector.Alive)}].");

        probe.Reply(0, 1, 2);
        probe.Timeout();
        Assert.True(probe.Detector.Alive.Count == 0,
            $"Node 2, right after timeout #2: the alive set must be empty, it is [{string.Join(", ", probe.Detector.Alive)}].");

        probe.AssertTimeout(3, probe.Timeout(), ["suspect 0", "suspect 1", "suspect 2", .. probe.Requests(0, 1, 2)],
            "The replies before timeout #2 do not count for timeout #3: no one replied since #2, so every node is suspected (node 2 itself too).");
    }

    [Fact]
    [Graded("3.2", 2)]
    public void This_node_is_not_special_it_suspects_and_restores_itself_like_any_other()
    {
        var probe = new DetectorProbe(1, 0, 1, 2);
        probe.Timeout();

        probe.Reply(0, 2);
        probe.AssertTimeout(2, probe.Timeout(), ["suspect 1", .. probe.Requests(0, 1, 2)],
            "Node 1 did not get its own reply: like any silent node, it suspects itself.");

        probe.Reply(0, 1, 2);
        probe.AssertTimeout(3, probe.Timeout(), ["restore 1", .. probe.Requests(0, 1, 2)],
            "Node 1 got its own reply: it restores itself.");
        probe.AssertDelay(3, 2 * Delta, "Restoring itself is a false suspicion like any other.");
    }

    [Fact]
    [Graded("3.2", 2)]
    public void Start_and_Stop_are_idempotent_and_after_Stop_nothing_fires_and_nothing_is_sent()
    {
        var probe = new DetectorProbe(0, 0, 1, 2);
        probe.Detector.Start(); // a second Start must not start a second timer

        probe.AssertTimeout(1, probe.Timeout(), probe.Requests(0, 1, 2), "One timer, one round of requests.");

        probe.Detector.Stop();
        probe.Detector.Stop();
        probe.Detector.Handle(new Heartbeat { From = 2, To = 0, Request = true });
        probe.Reply(1);
        for (var i = 0; i < 10; i++)
        {
            probe.Time.Advance(Delta);
        }

        var after = probe.Recorder.Take();
        Assert.True(after.Count == 0 && probe.Detector.Timeouts == 1,
            $"Node 0 was stopped after timeout #1: no timeout may run ({probe.Detector.Timeouts - 1} ran) and nothing may be sent or reported afterwards, not even a reply to a request; got {DetectorLog.Show(after)}.");
    }
}
