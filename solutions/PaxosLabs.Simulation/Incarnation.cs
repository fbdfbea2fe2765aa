namespace PaxosLabs.Simulation;

/// <summary>
/// One life of a simulated node, between a start and a crash: the synchronization context its
/// code runs in (so every continuation comes back to the simulator as a step of this node), its
/// queue of ready work, and its clock. A crash discards all of it.
/// </summary>
internal sealed class Incarnation : SynchronizationContext
{
    private readonly Queue<Action> _ready = new();
    private readonly Simulator _simulator;

    public Incarnation(Simulator simulator, SimNode node, int number)
    {
        _simulator = simulator;
        Node = node;
        Number = number;
        Clock = new SimClock(simulator, this);
    }

    public SimNode Node { get; }

    public int Number { get; }

    public SimClock Clock { get; }

    public bool Crashed { get; private set; }

    public bool HasWork => _ready.Count > 0;

    public override void Post(SendOrPostCallback d, object? state)
    {
        _simulator.CheckThread("scheduled a continuation");
        Enqueue(() => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send is not supported in the simulator; await instead.");

    public override SynchronizationContext CreateCopy() => this;

    public void Enqueue(Action work)
    {
        if (!Crashed)
        {
            _ready.Enqueue(work);
        }
    }

    public Action Dequeue() => _ready.Dequeue();

    public void Crash()
    {
        Crashed = true;
        _ready.Clear();
        Clock.CancelAll();
    }
}
