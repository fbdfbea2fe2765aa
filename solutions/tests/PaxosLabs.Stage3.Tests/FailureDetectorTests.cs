using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;

namespace PaxosLabs.Stage3.Tests;

/// <summary>Records what a failure detector sends and reports, in order, as short strings.</summary>
internal sealed class Recorder : IHeartbeatSender, ISuspicionListener
{
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];

    public void Send(Heartbeat heartbeat)
    {
        lock (_gate)
        {
            _log.Add($"{(heartbeat.Request ? "request" : "reply")} {heartbeat.From}->{heartbeat.To}");
        }
    }

    public void Suspect(uint id)
    {
        lock (_gate)
        {
            _log.Add($"suspect {id}");
        }
    }

    public void Restore(uint id)
    {
        lock (_gate)
        {
            _log.Add($"restore {id}");
        }
    }

    /// <summary>Everything since the last call.</summary>
    public List<string> Take()
    {
        lock (_gate)
        {
            var log = _log.ToList();
            _log.Clear();
            return log;
        }
    }
}

/// <summary>Tasks 3.1 and 3.2: the failure detector of node 0 among nodes 0, 1, 2, on a fake clock.</summary>
[Trait("Stage", "3")]
public class FailureDetectorTests
{
    private static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);
    private static readonly string[] Requests = ["request 0->0", "request 0->1", "request 0->2"];

    private readonly FakeTimeProvider _time = new();
    private readonly Recorder _recorder = new();
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
