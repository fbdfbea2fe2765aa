using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>
/// Records every Accept request (slot, round, value) in the order it was sent, and (unless
/// <see cref="Holds"/> is false) from the first one on holds every message, in order, until
/// <see cref="Release"/>: while it holds, nothing is decided, so a proposer's choices are seen
/// before any decision can change them.
/// </summary>
internal sealed class AcceptGate : IDeliveryScheduler
{
    private readonly Lock _gate = new();
    private readonly List<AcceptMsg> _accepts = [];
    private readonly Queue<Delivery> _held = [];
    private bool _released;

    /// <summary>Whether messages are held from the first accept on; false: only record.</summary>
    public bool Holds { get; init; } = true;

    /// <summary>Each distinct accept (slot, round, value) once, in the order it was first sent.</summary>
    public IReadOnlyList<AcceptMsg> Accepts()
    {
        lock (_gate)
        {
            return [.. _accepts.Distinct()];
        }
    }

    public void Schedule(Delivery delivery)
    {
        lock (_gate)
        {
            if (!delivery.IsReply && delivery.Envelope.Method.EndsWith("/Accept", StringComparison.Ordinal))
            {
                _accepts.Add(AcceptMsg.Parser.ParseFrom(delivery.Envelope.Payload));
            }

            if (Holds && !_released && (_held.Count > 0 || _accepts.Count > 0))
            {
                _held.Enqueue(delivery);
                return;
            }
        }

        delivery.Deliver();
    }

    /// <summary>Delivers what was held, in order, and lets everything through from then on.</summary>
    public void Release()
    {
        while (true)
        {
            Delivery next;
            lock (_gate)
            {
                if (!_held.TryDequeue(out next!))
                {
                    _released = true;
                    return;
                }
            }

            next.Deliver();
        }
    }

    /// <summary>Each slot once, in the order of its first accept.</summary>
    public IReadOnlyList<ulong> FirstSlots() => [.. Accepts().Select(a => a.Slot).Distinct()];

    /// <summary>The accepts as text: "slot 1: x#1 @ round 4, …".</summary>
    public string Show() => string.Join(", ", Accepts().Select(a => $"slot {a.Slot}: {Votes.Show(a.Val)} @ round {a.Rnd}"));

    public void RunAs(string endpoint, Action action) => action();
}
