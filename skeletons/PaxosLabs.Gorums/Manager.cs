using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Gorums;

/// <summary>
/// Owns the connections to nodes. Every configuration built by one manager shares its nodes, so a
/// node is connected once however many configurations include it.
/// </summary>
public sealed class Manager : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, Node> _nodes = [];
    private readonly ITransport _transport;
    private ulong _nextSeq;
    private bool _disposed;

    public Manager(ITransport transport, ManagerOptions? options = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        Options = options ?? new ManagerOptions();
        Options.Validate();
        Logger = Options.LoggerFactory.CreateLogger("PaxosLabs.Gorums");
    }

    public ManagerOptions Options { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time => Options.TimeProvider;

    /// <summary>Every node this manager knows, ascending by id.</summary>
    public IReadOnlyList<Node> Nodes
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Values.OrderBy(n => n.Id)];
            }
        }
    }

    /// <summary>
    /// Builds a configuration from node id → address. Ids and addresses must be distinct and well
    /// formed, and an id this manager already knows must keep its address.
    /// </summary>
    public Configuration NewConfiguration(IEnumerable<KeyValuePair<uint, string>> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var list = nodes.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A configuration needs at least one node.", nameof(nodes));
        }

        Validate(list);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var members = new List<Node>(list.Count);
            foreach (var (id, address) in list)
            {
                if (_nodes.TryGetValue(id, out var known))
                {
                    if (known.Address != address)
                    {
                        throw new ArgumentException($"Node {id} is already known at {known.Address}, not {address}.", nameof(nodes));
                    }

                    members.Add(known);
                    continue;
                }

                var node = new Node(id, address, this);
                node.Attach(_transport.Connect(address, node, Options.ClientName));
                _nodes.Add(id, node);
                members.Add(node);
            }

            return new Configuration(this, members);
        }
    }

    /// <summary>Builds a configuration from addresses; node ids are 0, 1, 2, … in list order.</summary>
    public Configuration NewConfiguration(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return NewConfiguration(addresses.Select((a, i) => KeyValuePair.Create((uint)i, a)));
    }

    /// <summary>The node with this id; <see cref="ArgumentException"/> when the manager does not know it.</summary>
    public Node GetNode(uint id)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(id, out var node)
                ? node
                : throw new ArgumentException($"Unknown node id {id}: this manager knows {string.Join(", ", _nodes.Keys.Order())}.", nameof(id));
        }
    }

    internal ulong NextSeq() => Interlocked.Increment(ref _nextSeq);

    public async ValueTask DisposeAsync()
    {
        List<Node> nodes;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            nodes = [.. _nodes.Values];
        }

        foreach (var node in nodes)
        {
            await node.DetachAsync();
        }
    }

    private void Validate(List<KeyValuePair<uint, string>> list)
    {
        var ids = new HashSet<uint>();
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, address) in list)
        {
            if (!ids.Add(id))
            {
                throw new ArgumentException($"Duplicate node id {id} in the configuration.", nameof(list));
            }

            if (string.IsNullOrWhiteSpace(address))
            {
                throw new ArgumentException($"Node {id} has an empty address.", nameof(list));
            }

            _transport.ValidateAddress(address);
            if (!addresses.Add(address))
            {
                throw new ArgumentException($"Duplicate address {address} in the configuration (node {id}).", nameof(list));
            }
        }
    }
}
