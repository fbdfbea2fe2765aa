using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Gorums.Transport;

/// <summary>One message crossing the in-memory network, and the action that delivers it.</summary>
public sealed record Delivery(string From, string To, Envelope Envelope, bool IsReply, Action Deliver);

/// <summary>Decides when (and whether) a message is delivered. The simulator plugs in here.</summary>
public interface IDeliveryScheduler
{
    void Schedule(Delivery delivery);

    /// <summary>
    /// Runs <paramref name="action"/> as the endpoint named <paramref name="endpoint"/>: a server
    /// opening a session does so as itself, so the work the session starts belongs to that server.
    /// </summary>
    void RunAs(string endpoint, Action action);
}

/// <summary>
/// A network inside one process with the semantics of the gRPC transport: one FIFO stream per
/// (client, node), a stream that breaks fails its pending calls, a node that listens again is
/// reconnected. Servers are registered by address; addresses are any non-blank strings.
/// </summary>
public sealed class InMemoryNetwork : ITransport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GorumsServer> _servers = new(StringComparer.Ordinal);
    private readonly List<InMemoryLink> _links = [];

    /// <param name="scheduler">Delivers messages; by default each one is delivered at once.</param>
    public InMemoryNetwork(IDeliveryScheduler? scheduler = null)
    {
        Scheduler = scheduler;
    }

    internal IDeliveryScheduler? Scheduler { get; }

    /// <summary>Starts serving <paramref name="server"/> at an address; links to it (re)connect.</summary>
    public void Listen(string address, GorumsServer server)
    {
        ValidateAddress(address);
        ArgumentNullException.ThrowIfNull(server);
        List<InMemoryLink> waiting;
        lock (_gate)
        {
            if (!_servers.TryAdd(address, server))
            {
                throw new ArgumentException($"Address {address} is already in use.", nameof(address));
            }

            waiting = [.. _links.Where(l => l.Address == address)];
        }

        foreach (var link in waiting)
        {
            link.Open(server);
        }
    }

    /// <summary>Stops the server at an address, as a crash would: every stream to it breaks.</summary>
    public void Stop(string address)
    {
        List<InMemoryLink> broken;
        lock (_gate)
        {
            if (!_servers.Remove(address))
            {
                return;
            }

            broken = [.. _links.Where(l => l.Address == address)];
        }

        foreach (var link in broken)
        {
            link.Break(new IOException($"the node at {address} stopped"));
        }
    }

    /// <summary>
    /// Closes every stream opened by the client named <paramref name="clientName"/>, as when its
    /// process dies: the servers drop its sessions and replies still in flight are lost.
    /// </summary>
    public void Disconnect(string clientName)
    {
        List<InMemoryLink> gone;
        lock (_gate)
        {
            gone = [.. _links.Where(l => l.Client == clientName)];
        }

        foreach (var link in gone)
        {
            link.Close();
        }
    }

    public bool IsListening(string address)
    {
        lock (_gate)
        {
            return _servers.ContainsKey(address);
        }
    }

    public void ValidateAddress(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Malformed in-memory address '{address}': use a non-blank name without spaces.", nameof(address));
        }
    }

    public INodeLink Connect(string address, ILinkHandler handler, string clientName)
    {
        ValidateAddress(address);
        var link = new InMemoryLink(this, clientName, address, handler);
        GorumsServer? server;
        lock (_gate)
        {
            _links.Add(link);
            _servers.TryGetValue(address, out server);
        }

        if (server is null)
        {
            link.Break(new IOException($"no node listens at {address}"));
        }
        else
        {
            link.Open(server);
        }

        return link;
    }

    internal void Remove(InMemoryLink link)
    {
        lock (_gate)
        {
            _links.Remove(link);
        }
    }
}

/// <summary>The client end of one in-memory stream.</summary>
internal sealed class InMemoryLink : INodeLink
{
    private readonly Lock _gate = new();
    private readonly InMemoryNetwork _network;
    private readonly string _client;
    private readonly ILinkHandler _handler;
    private ServerSession? _session;
    private bool _closed;

    public InMemoryLink(InMemoryNetwork network, string client, string address, ILinkHandler handler)
    {
        _network = network;
        _client = client;
        Address = address;
        _handler = handler;
    }

    public string Address { get; }

    public string Client => _client;

    public void Open(GorumsServer server)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _session?.Dispose();
            ServerSession? session = null;
            void OpenSession() => session = server.OpenSession(_client, reply => Route(reply, isReply: true, () => DeliverReply(session!, reply)));
            if (_network.Scheduler is { } scheduler)
            {
                scheduler.RunAs(Address, OpenSession);
            }
            else
            {
                OpenSession();
            }

            _session = session;
        }

        _handler.OnStateChanged(LinkState.Ready, null);
    }

    public void Break(Exception error)
    {
        lock (_gate)
        {
            _session?.Dispose();
            _session = null;
        }

        _handler.OnStateChanged(LinkState.Broken, error);
    }

    public bool TrySend(Envelope envelope)
    {
        ServerSession? session;
        lock (_gate)
        {
            session = _session;
        }

        if (session is null)
        {
            return false;
        }

        Route(envelope, isReply: false, () => session.Receive(envelope));
        return true;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _session?.Dispose();
            _session = null;
        }

        _network.Remove(this);
        _handler.OnStateChanged(LinkState.Closed, null);
    }

    private void DeliverReply(ServerSession from, Envelope reply)
    {
        lock (_gate)
        {
            if (_session != from)
            {
                return; // the stream that carried the request is gone
            }
        }

        _handler.OnReply(reply);
    }

    private void Route(Envelope envelope, bool isReply, Action deliver)
    {
        if (_network.Scheduler is { } scheduler)
        {
            scheduler.Schedule(isReply
                ? new Delivery(Address, _client, envelope, true, deliver)
                : new Delivery(_client, Address, envelope, false, deliver));
        }
        else
        {
            deliver();
        }
    }
}
