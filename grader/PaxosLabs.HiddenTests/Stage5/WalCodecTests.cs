using System.Buffers.Binary;
using PaxosLabs.Durable;
using PaxosLabs.MultiPaxos;
using static PaxosLabs.HiddenTests.Stage4.Votes;

namespace PaxosLabs.HiddenTests.Stage5;

/// <summary>The write-ahead log's framing (task 5.1, protocol §5.1).</summary>
public class WalCodecTests
{
    private static readonly WalRecord[] Records =
    [
        WalRecord.Promise(5),
        WalRecord.Voting(Vote(1, 5, Cmd("alice", 1))),
        WalRecord.Voting(Vote(2, 5, Noop)),
        WalRecord.Decide(1, Cmd("alice", 1)),
    ];

    private static byte[] Log(params WalRecord[] records) => [.. records.SelectMany(WalCodec.Encode)];

    private static string Show(IEnumerable<WalRecord> records) => "[" + string.Join(", ", records) + "]";

    [Fact]
    [Graded("5.1", 2)]
    public void A_frame_is_length_checksum_body_and_decodes_back()
    {
        var record = Records[1];
        var body = record.Body();
        var frame = WalCodec.Encode(record);
        Assert.True(frame.Length == 8 + body.Length, $"A frame is 8 header bytes and the body ({body.Length} bytes): {frame.Length} bytes were written.");
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(frame) == body.Length, $"The first 4 bytes hold the body's length little-endian ({body.Length}); they hold {BinaryPrimitives.ReadUInt32LittleEndian(frame)}.");
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)) == WalCodec.Checksum(body), "Bytes 4–7 hold the CRC-32 of the body (WalCodec.Checksum), little-endian.");
        Assert.True(frame.AsSpan(8).SequenceEqual(body), "The body follows the header unchanged.");

        var log = Log(Records);
        var (records, valid) = WalCodec.Decode(log);
        Assert.True(records.SequenceEqual(Records), $"Decoding four intact records must return them in order: {Show(Records)}; got {Show(records)}.");
        Assert.True(valid == log.Length, $"Every byte of an intact log is valid: ValidLength must be {log.Length}, it is {valid}.");
    }

    [Fact]
    [Graded("5.1", 2)]
    public void Decoding_stops_before_a_torn_last_record()
    {
        var whole = Log(Records[..3]);
        var last = WalCodec.Encode(Records[3]);
        for (var kept = 1; kept < last.Length; kept++)
        {
            var (records, valid) = WalCodec.Decode([.. whole, .. last[..kept]]);
            Assert.True(records.SequenceEqual(Records[..3]) && valid == whole.Length,
                $"A crash tore the last record: only {kept} of its {last.Length} bytes reached the disk. Decoding must return the 3 whole records and ValidLength {whole.Length} (the end of the last whole record); it returned {records.Count} record(s) and ValidLength {valid}.");
        }
    }

    [Fact]
    [Graded("5.1", 3)]
    public void Decoding_never_reads_past_a_damaged_record()
    {
        var log = Log(Records);
        var firstEnd = WalCodec.Encode(Records[0]).Length;
        var secondEnd = firstEnd + WalCodec.Encode(Records[1]).Length;

        var badBody = log.ToArray();
        badBody[secondEnd - 1] ^= 0xFF; // last byte of record 2's body
        var (records, valid) = WalCodec.Decode(badBody);
        Assert.True(records.SequenceEqual(Records[..1]) && valid == firstEnd,
            $"Record 2 of 4 has a flipped byte (its checksum no longer matches). Decoding must stop there: record 1 only, ValidLength {firstEnd}. It returned {Show(records)} with ValidLength {valid}; records after a damaged one may never have been acknowledged and must not be replayed (protocol §5.1).");

        var badChecksum = log.ToArray();
        badChecksum[firstEnd + 4] ^= 0x01;
        (records, valid) = WalCodec.Decode(badChecksum);
        Assert.True(records.Count == 1 && valid == firstEnd, $"Record 2's stored checksum is wrong: decoding must stop after record 1 (ValidLength {firstEnd}); it returned {records.Count} record(s), ValidLength {valid}.");

        var hugeLength = log.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(hugeLength.AsSpan(firstEnd), uint.MaxValue);
        (records, valid) = WalCodec.Decode(hugeLength);
        Assert.True(records.Count == 1 && valid == firstEnd, $"Record 2's length field is garbage ({uint.MaxValue}): decoding must stop after record 1; it returned {records.Count} record(s), ValidLength {valid}.");
    }

    [Fact]
    [Graded("5.1", 1)]
    public void An_empty_log_or_a_zero_length_frame_holds_nothing()
    {
        var (records, valid) = WalCodec.Decode([]);
        Assert.True(records.Count == 0 && valid == 0, "An empty log holds no records, ValidLength 0.");

        var zeros = new byte[64]; // a file extended with zeros by a crash
        (records, valid) = WalCodec.Decode([.. WalCodec.Encode(Records[0]), .. zeros]);
        Assert.True(records.Count == 1 && valid == WalCodec.Encode(Records[0]).Length, $"A frame of length 0 is not a record (a crash can leave zeros): decoding must stop after the one record; it returned {records.Count} record(s), ValidLength {valid}.");
    }
}
