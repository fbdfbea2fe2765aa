namespace PaxosLabs.MultiPaxos;

/// <summary>
/// Stage 6: which replicas run which slots (docs/protocol.md §6). The log starts in the initial
/// configuration; a reconfiguration executed in slot s starts a new configuration at slot s + α,
/// so the configuration of a slot is final once every slot up to α below it has run. Not
/// thread-safe: <see cref="ReplicaState"/> guards it with its lock.
/// </summary>
public sealed class Configurations
{
    private readonly List<Epoch> _epochs = [];

    /// <param name="initial">The replicas of slots 1, 2, … until the first change.</param>
    /// <param name="alpha">α: a change decided in slot s takes effect at slot s + α (the same on every replica).</param>
    public Configurations(Membership initial, int alpha)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 1);
        if (initial.Nodes.Count == 0)
        {
            throw new ArgumentException("The initial configuration needs at least one replica.", nameof(initial));
        }

        Alpha = alpha;
        _epochs.Add(new Epoch { FromSlot = 1, Members = initial.Clone() });
    }

    public int Alpha { get; }

    /// <summary>Every configuration so far, by first slot, the initial one first.</summary>
    public IReadOnlyList<Epoch> Epochs => _epochs;

    /// <summary>The newest configuration: the one of the highest slots.</summary>
    public Epoch Latest => _epochs[^1];

    /// <summary>
    /// The configuration of <paramref name="slot"/> as far as the changes executed so far tell:
    /// the one with the highest first slot at or below it. Final when <paramref name="slot"/> is at
    /// most adu + α (no change executed later can start at or below it).
    /// </summary>
    public Epoch For(ulong slot)
    {
        // TODO(6.1): The configuration of a slot: the epoch with the highest FromSlot that is <= slot (the initial one starts at slot 1, so there always is one).
        throw new NotImplementedException("TODO(6.1): The configuration of a slot: the epoch with the highest FromSlot that is <= slot (the initial one starts at slot 1, so there always is one). See assignments/06-reconfiguration/README.md, task 6.1.");
    }

    /// <summary>
    /// Executes a reconfiguration decided in <paramref name="slot"/>: the replicas of
    /// <paramref name="members"/> run the slots from slot + α on. Returns the new configuration,
    /// or null when there is none: an empty membership, or the one already newest (a retried or
    /// repeated change changes nothing).
    /// </summary>
    public Epoch? Change(ulong slot, Membership members)
    {
        ArgumentNullException.ThrowIfNull(members);
        // TODO(6.1): Applying a change decided in `slot`: ignore an empty membership or one equal to Latest's members (return null). Otherwise add Epoch{FromSlot = slot + Alpha, Members = a copy of members} after the others and return it.
        throw new NotImplementedException("TODO(6.1): Applying a change decided in `slot`: ignore an empty membership or one equal to Latest's members (return null). Otherwise add Epoch{FromSlot = slot + Alpha, Members = a copy of members} after the others and return it. See assignments/06-reconfiguration/README.md, task 6.1.");
    }

    /// <summary>Stage 5 meets 6: takes the configurations a snapshot holds (a replica installing it), replacing these.</summary>
    public void Restore(IEnumerable<Epoch> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var restored = epochs.Select(e => e.Clone()).ToList();
        if (restored.Count == 0)
        {
            return; // a snapshot of a store that never changed its configuration: keep the initial one
        }

        _epochs.Clear();
        _epochs.AddRange(restored);
    }

    /// <summary>A majority of a configuration's replicas: any two of them share one.</summary>
    public static int QuorumSize(Membership members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return members.Nodes.Count / 2 + 1;
    }

    /// <summary>"{0, 1, 3} from slot 21".</summary>
    public static string Describe(Epoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return $"{{{string.Join(", ", epoch.Members.Nodes.Keys.Order())}}} from slot {epoch.FromSlot}";
    }
}
