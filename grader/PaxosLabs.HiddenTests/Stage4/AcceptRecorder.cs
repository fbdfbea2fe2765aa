using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.HiddenTests.Stage4;

/// <summary>Delivers every message at once and records the slot of every Accept request, in the order they were sent.</summary>
internal sealed class AcceptRecorder : IDeliveryScheduler
{
    private readonly Lock _gate = new();
    private readonly List<ulong> _slots = [];

    /// <summary>Each slot once, in the order of its first Accept.</summary>
    public IReadOnlyList<ulong> FirstSlots()
    {
        lock (_gate)
        {
            return [.. _slots.Distinct()];
        }
    }

    public void Schedule(Delivery delivery)
    {
        if (!delivery.IsReply && delivery.Envelope.Method.EndsWith("/Accept", StringComparison.Ordinal))
        {
            var slot = AcceptMsg.Parser.ParseFrom(delivery.Envelope.Payload).Slot;
            lock (_gate)
            {
                _slots.Add(slot);
            }
        }

        delivery.Deliver();
    }

    public void RunAs(string endpoint, Action action) => action();
}
