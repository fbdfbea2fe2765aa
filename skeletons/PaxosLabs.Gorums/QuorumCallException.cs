namespace PaxosLabs.Gorums;

/// <summary>Why a quorum call ended without a result.</summary>
public enum QuorumCallError
{
    /// <summary>Every contacted node replied or failed and the quorum function never said done.</summary>
    Incomplete,

    /// <summary>The caller's cancellation token fired.</summary>
    Cancelled,

    /// <summary>The call's deadline passed.</summary>
    DeadlineExceeded,
}

/// <summary>A quorum call that did not complete, with the replies it got and each node's error.</summary>
public sealed class QuorumCallException : Exception
{
    public QuorumCallException(QuorumCallError cause, int replyCount, IReadOnlyDictionary<uint, Exception>? nodeErrors = null)
        : base(Describe(cause, replyCount, nodeErrors))
    {
        Cause = cause;
        ReplyCount = replyCount;
        NodeErrors = nodeErrors ?? new Dictionary<uint, Exception>();
    }

    public QuorumCallError Cause { get; }

    /// <summary>How many valid replies had arrived when the call ended.</summary>
    public int ReplyCount { get; }

    /// <summary>Each failed node's error, by node id.</summary>
    public IReadOnlyDictionary<uint, Exception> NodeErrors { get; }

    private static string Describe(QuorumCallError cause, int replyCount, IReadOnlyDictionary<uint, Exception>? nodeErrors)
    {
        var text = $"quorum call {cause}: {replyCount} replies";
        if (nodeErrors is { Count: > 0 })
        {
            text += "; failed nodes: " + string.Join(", ",
                nodeErrors.OrderBy(e => e.Key).Select(e => $"node {e.Key} ({Reason(e.Key, e.Value)})"));
        }

        return text;
    }

    /// <summary>The error's text without the node's name when it already names this node, so that the node is named once.</summary>
    private static string Reason(uint nodeId, Exception error) =>
        error is NodeException node && node.NodeId == nodeId ? node.Reason : error.Message;
}

/// <summary>The error a node reported: its handler threw, or the node could not be reached.</summary>
public sealed class NodeException : Exception
{
    public NodeException(uint nodeId, string message, Exception? inner = null)
        : base($"node {nodeId}: {message}", inner)
    {
        NodeId = nodeId;
        Reason = message;
    }

    public uint NodeId { get; }

    /// <summary>What went wrong, without the node's name: the message is "node N: " and this.</summary>
    public string Reason { get; }
}
