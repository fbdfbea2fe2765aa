namespace PaxosLabs.MultiPaxos;

/// <summary>
/// The replicated key-value store, with a session table for exactly-once execution: per client,
/// the highest executed ClientSeq and its response.
/// </summary>
public sealed class KvStateMachine
{
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Response> _sessions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Data => _data;

    /// <summary>How many commands ran (not counting repeats answered from the session table).</summary>
    public long Executed { get; private set; }

    /// <summary>Whether the client's request <paramref name="clientSeq"/> (or a later one) has run.</summary>
    public bool HasExecuted(string clientId, ulong clientSeq) =>
        _sessions.TryGetValue(clientId, out var last) && last.ClientSeq >= clientSeq;

    /// <summary>The cached response of a client's last executed request, if it is <paramref name="clientSeq"/>.</summary>
    public Response? Cached(string clientId, ulong clientSeq) =>
        _sessions.TryGetValue(clientId, out var last) && last.ClientSeq == clientSeq ? last : null;

    /// <summary>
    /// Runs a decided client command once. A command whose ClientSeq is not above the client's last
    /// executed one is not run again: the last one's cached response answers a retry, an older one
    /// gets null (its client has moved on).
    /// </summary>
    public Response? Execute(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Batch.Count > 0)
        {
            return ExecuteBatch(value);
        }

        // BEGIN TODO(4.5): Exactly once: if the session table has this client at ClientSeq >= value.ClientSeq, do not run the command again: return the cached response when the sequence numbers are equal, null when older. Otherwise run it (Apply), record the response as the client's last, and return it.
        if (_sessions.TryGetValue(value.ClientId, out var last) && last.ClientSeq >= value.ClientSeq)
        {
            return last.ClientSeq == value.ClientSeq ? last : null;
        }

        var response = new Response { ClientId = value.ClientId, ClientSeq = value.ClientSeq, Result = Apply(value.Command) };
        _sessions[value.ClientId] = response;
        return response;
        // END TODO(4.5)
    }

    /// <summary>
    /// Stage 5: a snapshot of the store after every slot up to <paramref name="adu"/> ran: the data
    /// and the session table, so that a replica that restores it still runs each command once.
    /// </summary>
    public Snapshot Capture(ulong adu)
    {
        // BEGIN TODO(5.4): Capture: a Snapshot{Adu = adu} holding every key and value of the store (Data) AND the session table: one Response per client (its last executed request's response, a copy), so that a retry after a restore is still answered from the table and never runs twice.
        var snapshot = new Snapshot { Adu = adu };
        snapshot.Data.Add(_data);
        snapshot.Sessions.AddRange(_sessions.Values.OrderBy(r => r.ClientId, StringComparer.Ordinal).Select(r => r.Clone()));
        return snapshot;
        // END TODO(5.4)
    }

    /// <summary>Stage 5: replaces the whole state (data and sessions) by a snapshot's.</summary>
    public void Restore(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // BEGIN TODO(5.4): Restore: forget the current data and sessions, then take the snapshot's: every key and value, and each session Response keyed by its ClientId (copies, so the snapshot stays unchanged).
        _data.Clear();
        _sessions.Clear();
        foreach (var (key, value) in snapshot.Data)
        {
            _data[key] = value;
        }

        foreach (var session in snapshot.Sessions)
        {
            _sessions[session.ClientId] = session.Clone();
        }
        // END TODO(5.4)
    }

    /// <summary>
    /// Runs the commands of a batch (one slot, several client values) in order, each once: the
    /// answer carries one response per command that ran or was repeated, for the waiting clients.
    /// </summary>
    private Response ExecuteBatch(Value batch)
    {
        var responses = new Response();
        foreach (var value in batch.Batch)
        {
            if (!value.IsNoop && Execute(value) is { } response)
            {
                responses.Batch.Add(response);
            }
        }

        return responses;
    }

    /// <summary>Applies a command to the store and returns its result: the value read, or the value after a put or append.</summary>
    private string Apply(KvCommand? command)
    {
        Executed++;
        if (command is null)
        {
            return "";
        }

        _data.TryGetValue(command.Key, out var current);
        current ??= "";
        switch (command.Op)
        {
            case KvCommand.Types.Op.Put:
                _data[command.Key] = command.Value;
                return command.Value;
            case KvCommand.Types.Op.Append:
                _data[command.Key] = current + command.Value;
                return current + command.Value;
            default:
                return current;
        }
    }
}
