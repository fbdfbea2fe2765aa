using System.Buffers.Binary;
using System.IO.Hashing;

namespace PaxosLabs.Durable;

/// <summary>
/// The framing of the write-ahead log (docs/protocol.md §5.1): each record is
/// <c>[length: u32][checksum: u32][body: length bytes]</c>, little-endian, where the checksum is the
/// CRC-32 of the body. A crash can leave the last record torn (cut short, or garbled), and a disk
/// can return a bad sector: decoding keeps the longest prefix of whole, intact records.
/// </summary>
public static class WalCodec
{
    /// <summary>The bytes before a record's body: its length and its checksum.</summary>
    public const int HeaderSize = 8;

    /// <summary>No record is longer: a larger length is garbage, not a record.</summary>
    public const int MaxBodySize = 16 * 1024 * 1024;

    /// <summary>The CRC-32 of <paramref name="body"/>.</summary>
    public static uint Checksum(ReadOnlySpan<byte> body) => Crc32.HashToUInt32(body);

    /// <summary>One record, framed: header, then body.</summary>
    public static byte[] Encode(WalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var body = record.Body();

        // BEGIN TODO(5.1): Encode: a frame of HeaderSize + body.Length bytes: the body's length as a little-endian u32 (BinaryPrimitives.WriteUInt32LittleEndian), then Checksum(body) as a little-endian u32, then the body itself.
        var frame = new byte[HeaderSize + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Checksum(body));
        body.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
        // END TODO(5.1)
    }

    /// <summary>
    /// The records of a log, in order, and the length of the valid prefix that holds them. Decoding
    /// stops at the first frame that is not whole and intact; nothing after it is returned, even if
    /// it looks intact, because a record after a damaged one may be one the log never acknowledged.
    /// </summary>
    public static (IReadOnlyList<WalRecord> Records, long ValidLength) Decode(ReadOnlySpan<byte> log)
    {
        var records = new List<WalRecord>();
        var position = 0;

        // BEGIN TODO(5.1): Decode: from position 0, while a whole header fits: read the length and the checksum; stop if the length is 0 or above MaxBodySize, if the body would run past the end of the log (a torn tail), if Checksum(body) differs from the stored one, or if WalRecord.FromBody(body) is null. Otherwise add the record and move past it. Return the records and the position where decoding stopped (the end of the last good record). Never skip a bad frame to read on.
        while (log.Length - position >= HeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(log[position..]);
            var checksum = BinaryPrimitives.ReadUInt32LittleEndian(log[(position + 4)..]);
            if (length == 0 || length > MaxBodySize || length > (uint)(log.Length - position - HeaderSize))
            {
                break;
            }

            var body = log.Slice(position + HeaderSize, (int)length);
            if (Checksum(body) != checksum || WalRecord.FromBody(body) is not { } record)
            {
                break;
            }

            records.Add(record);
            position += HeaderSize + (int)length;
        }

        return (records, position);
        // END TODO(5.1)
    }
}
