using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Transport;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Stage4.Tests;

/// <summary>
/// The in-memory network, except that a deferred message waits, as over gRPC, until the next
/// message to its node or a flush (with no linger time: only a write or a flush sends it). It
/// records each write as its messages, e.g. "Commit(2) Accept(3)". A node <see cref="Cut"/> off
/// gets nothing: what is written to it is lost, as behind a partition that drops every packet.
/// </summary>
internal sealed class HoldingNetwork : ITransport
{
    private readonly Lock _gate = new();
    private readonly List<(string From, string To, string Messages)> _writes = [];

    public InMemoryNetwork Inner { get; } = new();

    public void ValidateAddress(string address) => Inner.ValidateAddress(address);

    /// <summary>The address of the node cut off, or null.</summary>
    public string? Cut { get; set; }

    public INodeLink Connect(string address, ILinkHandler handler, string clientName) =>
        new HoldingLink(Inner.Connect(address, handler, clientName), () => Cut == address, messages =>
        {
            lock (_gate)
            {
                _writes.Add((clientName, address, messages));
            }
        });

    /// <summary>The writes from <paramref name="from"/> to <paramref name="to"/> that carried Paxos messages, in order.</summary>
    public List<string> Writes(string from, string to)
    {
        lock (_gate)
        {
            return [.. _writes.Where(w => w.From == from && w.To == to && w.Messages.Length > 0).Select(w => w.Messages)];
        }
    }

    private sealed class HoldingLink(INodeLink inner, Func<bool> cut, Action<string> written) : INodeLink
    {
        private readonly Lock _gate = new();
        private readonly List<Envelope> _held = [];

        public bool TrySend(Envelope envelope)
        {
            lock (_gate)
            {
                _held.Add(envelope);
                return Write();
            }
        }

        public bool TryQueue(Envelope envelope)
        {
            lock (_gate)
            {
                _held.Add(envelope);
                return true;
            }
        }

        public void Flush()
        {
            lock (_gate)
            {
                Write();
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private bool Write()
        {
            if (_held.Count == 0)
            {
                return true;
            }

            if (cut())
            {
                _held.Clear();
                return true; // lost on the way, unseen by the sender
            }

            written(string.Join(" ", _held.Select(Describe).Where(d => d.Length > 0)));
            var sent = true;
            foreach (var envelope in _held)
            {
                sent = inner.TrySend(envelope);
            }

            _held.Clear();
            return sent;
        }

        private static string Describe(Envelope envelope)
        {
            var method = envelope.Method[(envelope.Method.LastIndexOf('/') + 1)..];
            return method switch
            {
                "Accept" => $"Accept({AcceptMsg.Parser.ParseFrom(envelope.Payload).Slot})",
                "Commit" => $"Commit({LearnMsg.Parser.ParseFrom(envelope.Payload).Slot})",
                _ => "",
            };
        }
    }
}
