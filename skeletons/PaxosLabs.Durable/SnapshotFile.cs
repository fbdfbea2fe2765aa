using System.Buffers.Binary;
using Google.Protobuf;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Durable;

/// <summary>
/// The snapshot file: one snapshot, framed as a log record is (length, CRC-32, bytes). It is
/// replaced atomically, so a damaged one is not a torn write but a broken disk: an error, never
/// silently read as an empty store.
/// </summary>
public static class SnapshotFile
{
    public static byte[] Encode(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var body = snapshot.ToByteArray();
        var file = new byte[WalCodec.HeaderSize + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(file, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), WalCodec.Checksum(body));
        body.CopyTo(file.AsSpan(WalCodec.HeaderSize));
        return file;
    }

    /// <summary>The snapshot <paramref name="storage"/> holds, or null when it has none.</summary>
    /// <exception cref="CorruptStorageException">The file is damaged.</exception>
    public static Snapshot? Read(IStableStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.ReadSnapshot() is not { } file)
        {
            return null;
        }

        var body = file.AsSpan(Math.Min(WalCodec.HeaderSize, file.Length));
        if (file.Length < WalCodec.HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(file) != body.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) != WalCodec.Checksum(body))
        {
            throw new CorruptStorageException($"The snapshot file is damaged ({file.Length} bytes, its length or checksum does not match): stable storage broke; restore this replica from another one's data.");
        }

        return Snapshot.Parser.ParseFrom(body);
    }
}
