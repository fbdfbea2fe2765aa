using Microsoft.Extensions.Time.Testing;
using PaxosLabs.Detectors;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.Testing;

namespace PaxosLabs.HiddenTests.Stage3;

/// <summary>One failure detector on a fake clock, with its sends and notifications recorded.</summary>
internal sealed class DetectorProbe
{
    public static readonly TimeSpan Delta = TimeSpan.FromMilliseconds(100);

    public DetectorProbe(uint id, params uint[] nodes)
    {
        Id = id;
        Detector = new FailureDetector(id, nodes, Delta, Recorder, Recorder, Time);
        Detector.Start();
    }

    public uint Id { get; }

    public FakeTimeProvider Time { get; } = new();

    public DetectorLog Recorder { get; } = new();

    public FailureDetector Detector { get; }

    /// <summary>Node <paramref name="from"/> answers this node's request.</summary>
    public void Reply(params uint[] from)
    {
        foreach (var node in from)
        {
            Detector.Handle(new Heartbeat { From = node, To = Id, Request = false });
        }
    }

    /// <summary>
    /// Moves the clock exactly to the next timeout (the detector's Delay), checks that one timeout
    /// ran, and returns what it did: suspicions, restorations and sends, in order.
    /// </summary>
    public IReadOnlyList<string> Timeout()
    {
        Recorder.Take();
        var before = Detector.Timeouts;
        var delay = Detector.Delay;
        Time.Advance(delay);
        Assert.True(Detector.Timeouts == before + 1,
            $"Node {Id}: {delay.TotalMilliseconds} ms (the current delay) after timeout #{before}, timeout #{before + 1} must run exactly once; {Detector.Timeouts - before} ran. Restart the timer with the delay at the end of every timeout.");
        return Recorder.Take();
    }

    /// <summary>"request 1->0, request 1->1, …" for every node of <paramref name="nodes"/> in that order.</summary>
    public IEnumerable<string> Requests(params uint[] nodes) => nodes.Select(n => $"request {Id}->{n}");

    public void AssertTimeout(int number, IReadOnlyList<string> actual, IEnumerable<string> expected, string why)
    {
        var want = expected.ToList();
        Assert.True(actual.SequenceEqual(want), DetectorLog.TimeoutMismatch(Id, number, Detector.Delay, Delta, why, want, actual));
    }

    public void AssertDelay(int number, TimeSpan expected, string why)
    {
        var actual = Detector.Delay;
        Assert.True(actual == expected,
            $"Node {Id}, after timeout #{number}: the delay must be {expected.TotalMilliseconds} ms, it is {actual.TotalMilliseconds} ms (delta {Delta.TotalMilliseconds} ms). {why}");
    }
}

/// <summary>
/// Stands between a node's server and its heartbeat service: forwards every heartbeat to the real
/// <see cref="HeartbeatServer"/> and keeps the first failure, so a test that waits can stop at once.
/// </summary>
internal sealed class WatchedHeartbeats(uint id, HeartbeatServer inner, Failures failures) : HeartbeatsServerBase
{
    public override async Task Beat(Heartbeat request, ServerContext context)
    {
        try
        {
            await inner.Beat(request, context);
        }
        catch (Exception e)
        {
            failures.Add($"node {id} failed to handle {(request.Request ? "a request" : "a reply")} from node {request.From}", e);
            throw;
        }
    }
}

/// <summary>Failures seen off the test's thread; a wait rethrows the first one at once.</summary>
internal sealed class Failures
{
    private readonly Lock _gate = new();
    private Exception? _first;

    public void Add(string where, Exception error)
    {
        lock (_gate)
        {
            _first ??= new InvalidOperationException($"{where}: {error.GetType().Name}: {error.Message}", error);
        }
    }

    public void ThrowIfAny()
    {
        lock (_gate)
        {
            if (_first is not null)
            {
                throw _first;
            }
        }
    }
}

/// <summary>
/// Delivers every message at once, except while an endpoint is held: messages from or to it wait
/// (a delay spike) until <see cref="Release"/>, which delivers them in the order they were sent.
/// </summary>
internal sealed class SpikeScheduler : IDeliveryScheduler
{
    private readonly Lock _gate = new();
    private readonly List<Delivery> _held = [];
    private string? _endpoint;

    public void Hold(string endpoint)
    {
        lock (_gate)
        {
            _endpoint = endpoint;
        }
    }

    public void Release()
    {
        List<Delivery> late;
        lock (_gate)
        {
            _endpoint = null;
            late = [.. _held];
            _held.Clear();
        }

        foreach (var delivery in late)
        {
            delivery.Deliver();
        }
    }

    public void Schedule(Delivery delivery)
    {
        lock (_gate)
        {
            if (_endpoint is not null && (delivery.From == _endpoint || delivery.To == _endpoint))
            {
                _held.Add(delivery);
                return;
            }
        }

        delivery.Deliver();
    }

    public void RunAs(string endpoint, Action action) => action();
}
