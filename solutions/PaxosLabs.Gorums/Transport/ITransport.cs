using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Transport;

/// <summary>
/// Connects a client to nodes. A transport gives each node one link: one FIFO stream of
/// envelopes with a single writer. Two implementations exist: gRPC and in-memory.
/// </summary>
public interface ITransport
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the address when it is malformed.</summary>
    void ValidateAddress(string address);

    /// <summary>
    /// Opens (and re-opens after failures) the link to the node at an address;
    /// <paramref name="clientName"/> names this side in logs and traces.
    /// </summary>
    INodeLink Connect(string address, ILinkHandler handler, string clientName);

    /// <summary>
    /// Declares that <paramref name="server"/>, in this process, is the node at
    /// <paramref name="address"/>: this transport's links to that address (a replica's calls to
    /// itself) then reach it in memory, with the same semantics, instead of crossing the network.
    /// Call it before connecting to the address. A transport whose links stay in the process anyway
    /// (the in-memory network, where the simulator orders every message) ignores it.
    /// </summary>
    void ServeLocally(string address, Server.GorumsServer server)
    {
    }
}

/// <summary>The client side of one node's stream.</summary>
public interface INodeLink : IAsyncDisposable
{
    /// <summary>
    /// Queues an envelope for the stream's single writer and returns at once: a slow node never
    /// delays sends to the others. False when the link is down; the caller treats that node as
    /// failed.
    /// </summary>
    bool TrySend(Envelope envelope);

    /// <summary>
    /// Like <see cref="TrySend"/>, but starts no write: the envelope leaves with the next write on
    /// this stream (a later <see cref="TrySend"/>, or <see cref="Flush"/>) and shares its message, or
    /// alone once the link's linger time has passed (a link must bound the wait). A link that hands
    /// every envelope over at once (the in-memory network) sends it now.
    /// </summary>
    bool TryQueue(Envelope envelope) => TrySend(envelope);

    /// <summary>Writes what <see cref="TryQueue"/> left queued, unless a write under way takes it along.</summary>
    void Flush()
    {
    }
}

/// <summary>What a link reports to its node.</summary>
public interface ILinkHandler
{
    /// <summary>A reply arrived on the stream.</summary>
    void OnReply(Envelope reply);

    /// <summary>The link changed state; when it breaks, every call waiting on it fails with the error.</summary>
    void OnStateChanged(LinkState state, Exception? error);
}

public enum LinkState
{
    Connecting,
    Ready,
    Broken,
    Closed,
}
