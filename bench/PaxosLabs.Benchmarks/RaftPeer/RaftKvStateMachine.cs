using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// A put as a Raft log entry: <c>[client id: u32][client seq: u64][key length: u16][key][value]</c>,
/// little-endian, key and value ASCII. The client id and sequence number play the part of the kit's
/// <c>Value.client_id</c> / <c>client_seq</c>, so both stores do the same exactly-once bookkeeping.
/// </summary>
internal static class RaftPut
{
    private const int Header = sizeof(uint) + sizeof(ulong) + sizeof(ushort);

    public static int Size(int keySize, int valueSize) => Header + keySize + valueSize;

    public static void Encode(Span<byte> destination, uint clientId, ulong seq, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, clientId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[sizeof(uint)..], seq);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(sizeof(uint) + sizeof(ulong))..], (ushort)key.Length);
        key.CopyTo(destination[Header..]);
        value.CopyTo(destination[(Header + key.Length)..]);
    }

    /// <summary>Decodes a put; false for anything else (the no-op entry a new leader appends, configuration entries).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> entry, out uint clientId, out ulong seq, out string key, out string value)
    {
        clientId = 0;
        seq = 0;
        key = value = "";
        if (entry.Length < Header)
        {
            return false;
        }

        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[(sizeof(uint) + sizeof(ulong))..]);
        if (entry.Length < Header + keyLength)
        {
            return false;
        }

        clientId = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        seq = BinaryPrimitives.ReadUInt64LittleEndian(entry[sizeof(uint)..]);
        key = Encoding.ASCII.GetString(entry.Slice(Header, keyLength));
        value = Encoding.ASCII.GetString(entry[(Header + keyLength)..]);
        return true;
    }
}

/// <summary>
/// The peer's replicated key-value store: the same work per put as the kit's <c>KvStateMachine</c>
/// (a string dictionary and a per-client session table that skips a repeated sequence number), as a
/// DotNext <see cref="IStateMachine"/> behind its <see cref="WriteAheadLog"/>. State lives in memory
/// only: no snapshots, so the WAL keeps every entry for the (short) life of the benchmark cluster.
/// DotNext never calls <see cref="ApplyAsync"/> concurrently; the lock is for the end-of-run check,
/// which reads the store from another thread.
/// </summary>
internal sealed class RaftKvStateMachine : IStateMachine
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, ulong> _sessions = [];
    private long _executed;

    /// <summary>Puts run (repeats skipped by the session table are not counted).</summary>
    public long Executed
    {
        get
        {
            lock (_lock)
            {
                return _executed;
            }
        }
    }

    ISnapshot? ISnapshotManager.Snapshot => null;

    /// <summary>A fingerprint of the store (order-independent), to compare replicas.</summary>
    public (int Keys, long Hash) Fingerprint()
    {
        lock (_lock)
        {
            long hash = 0;
            foreach (var (k, v) in _data)
            {
                hash += HashCode.Combine(string.GetHashCode(k, StringComparison.Ordinal), string.GetHashCode(v, StringComparison.Ordinal));
            }

            return (_data.Count, hash);
        }
    }

    public ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (!entry.IsSnapshot && entry.TryGetPayload(out var payload) && Decode(payload, out var clientId, out var seq, out var key, out var value))
        {
            lock (_lock)
            {
                if (!_sessions.TryGetValue(clientId, out var last) || seq > last)
                {
                    _data[key] = value;
                    _sessions[clientId] = seq;
                    _executed++;
                }
            }
        }

        return ValueTask.FromResult(entry.Index);
    }

    ValueTask ISnapshotManager.ReclaimGarbageAsync(long watermark, CancellationToken token) => ValueTask.CompletedTask;

    private static bool Decode(in ReadOnlySequence<byte> payload, out uint clientId, out ulong seq, out string key, out string value)
    {
        if (payload.IsSingleSegment)
        {
            return RaftPut.TryDecode(payload.FirstSpan, out clientId, out seq, out key, out value);
        }

        // A payload split across WAL pages: copy it out (rare; entries are tens of bytes).
        var copy = payload.ToArray();
        return RaftPut.TryDecode(copy, out clientId, out seq, out key, out value);
    }
}
