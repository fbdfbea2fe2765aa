namespace PaxosLabs.Storage;

/// <summary>
/// The quorum functions of the storage example: a read needs a quorum of states and returns the
/// freshest; a write needs a quorum of acknowledgements.
/// </summary>
public sealed class StorageQSpec : IStorageQSpec
{
    /// <param name="nodes">How many nodes the configuration has.</param>
    public StorageQSpec(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        Nodes = nodes;
        QuorumSize = nodes / 2 + 1;
    }

    public int Nodes { get; }

    /// <summary>A majority: n / 2 + 1, so that any two quorums share a node.</summary>
    public int QuorumSize { get; }

    public (State? Result, bool Done) ReadQF(ReadRequest request, IReadOnlyDictionary<uint, State> replies)
    {
        // TODO(1.4): ReadQF: not done until a quorum (QuorumSize) of nodes replied; then done with the reply of the highest Timestamp, breaking ties by the lowest node id. Do not modify the replies.
        throw new NotImplementedException("TODO(1.4): ReadQF: not done until a quorum (QuorumSize) of nodes replied; then done with the reply of the highest Timestamp, breaking ties by the lowest node id. Do not modify the replies. See assignments/01-quorum-calls/README.md, task 1.4.");
    }

    public (WriteResponse? Result, bool Done) WriteQF(State request, IReadOnlyDictionary<uint, WriteResponse> replies)
    {
        // TODO(1.5): WriteQF: not done until a quorum (QuorumSize) of nodes acknowledged; then done with a WriteResponse whose New is true when any reply says New.
        throw new NotImplementedException("TODO(1.5): WriteQF: not done until a quorum (QuorumSize) of nodes acknowledged; then done with a WriteResponse whose New is true when any reply says New. See assignments/01-quorum-calls/README.md, task 1.5.");
    }
}
