using System.Collections;
using Google.Protobuf;

namespace PaxosLabs.Gorums;

/// <summary>
/// An immutable set of nodes, ascending by id, that calls go to. Set operations return new
/// configurations over the same manager's nodes.
/// </summary>
public sealed class Configuration : IReadOnlyList<Node>
{
    private readonly Node[] _nodes;

    internal Configuration(Manager manager, IEnumerable<Node> nodes)
    {
        Manager = manager;
        _nodes = [.. nodes.DistinctBy(n => n.Id).OrderBy(n => n.Id)];
        if (_nodes.Length == 0)
        {
            throw new ArgumentException("A configuration needs at least one node.", nameof(nodes));
        }
    }

    public Manager Manager { get; }

    public int Count => _nodes.Length;

    public Node this[int index] => _nodes[index];

    /// <summary>The ids of the nodes, ascending.</summary>
    public IReadOnlyList<uint> NodeIds => [.. _nodes.Select(n => n.Id)];

    public bool Contains(uint id) => Array.Exists(_nodes, n => n.Id == id);

    /// <summary>The node with this id; <see cref="ArgumentException"/> when it is not in this configuration.</summary>
    public Node GetNode(uint id) =>
        Array.Find(_nodes, n => n.Id == id)
        ?? throw new ArgumentException($"Node {id} is not in this configuration ({string.Join(", ", NodeIds)}).", nameof(id));

    public Configuration Union(Configuration other) => new(Manager, _nodes.Concat(SameManager(other)._nodes));

    public Configuration Except(Configuration other)
    {
        var drop = SameManager(other).NodeIds.ToHashSet();
        return new Configuration(Manager, _nodes.Where(n => !drop.Contains(n.Id)));
    }

    /// <summary>This configuration plus the manager's nodes with these ids.</summary>
    public Configuration With(params uint[] ids) => new(Manager, _nodes.Concat(ids.Select(Manager.GetNode)));

    /// <summary>This configuration without the nodes with these ids (each must be a member).</summary>
    public Configuration Without(params uint[] ids)
    {
        foreach (var id in ids)
        {
            GetNode(id);
        }

        return new Configuration(Manager, _nodes.Where(n => !ids.Contains(n.Id)));
    }

    /// <summary>This configuration without the nodes that failed in that call.</summary>
    public Configuration WithoutFailed(QuorumCallException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new Configuration(Manager, _nodes.Where(n => !failure.NodeErrors.ContainsKey(n.Id)));
    }

    /// <summary>
    /// Sends a request to every node (or each node's own request; a null one skips the node) and
    /// returns the call whose replies can now be awaited. The building block of quorum calls.
    /// </summary>
    public PendingCall<TReply> StartCall<TRequest, TReply>(
        RpcMethod<TRequest, TReply> method,
        TRequest request,
        PerNodeRequest<TRequest>? perNode = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TReply : IMessage<TReply>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        var call = new PendingCall<TReply>(Manager, method.FullName, method.ReplyParser, timeout ?? Manager.Options.DefaultCallTimeout, cancellationToken);
        ByteString? shared = null;
        foreach (var node in _nodes)
        {
            var message = perNode is null ? request : perNode(request, node.Id);
            if (message is not null)
            {
                // Serialize the call's request once and share the bytes (ByteString is immutable);
                // only a node's own per-node message is serialized for it alone.
                call.SendTo(node, ReferenceEquals(message, request) ? (shared ??= Payload.Of(request)) : Payload.Of(message));
            }
        }

        return call;
    }

    /// <summary>Writes the one-way messages a <see cref="DeferredSends"/> scope left queued for the nodes.</summary>
    public void Flush()
    {
        foreach (var node in _nodes)
        {
            node.Flush();
        }
    }

    public IEnumerator<Node> GetEnumerator() => ((IEnumerable<Node>)_nodes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"configuration {{{string.Join(", ", NodeIds)}}}";

    private Configuration SameManager(Configuration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Manager == Manager
            ? other
            : throw new ArgumentException("Both configurations must come from the same manager.", nameof(other));
    }
}
