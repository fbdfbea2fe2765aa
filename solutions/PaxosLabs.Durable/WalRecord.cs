using System.Buffers.Binary;
using Google.Protobuf;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Durable;

public enum WalRecordKind : byte
{
    /// <summary>The acceptor's round rose to <see cref="WalRecord.Rnd"/>.</summary>
    Promised = 1,

    /// <summary>The acceptor voted <see cref="WalRecord.Vote"/>.</summary>
    Voted = 2,

    /// <summary>The slot of <see cref="WalRecord.Decision"/> was decided and executed.</summary>
    Decided = 3,
}

/// <summary>One record of the write-ahead log. <see cref="Body"/> and <see cref="FromBody"/> turn it into bytes and back; the framing around them is <see cref="WalCodec"/>'s.</summary>
public sealed record WalRecord(WalRecordKind Kind, long Rnd = 0, PValue? Vote = null, LearnMsg? Decision = null)
{
    public static WalRecord Promise(long rnd) => new(WalRecordKind.Promised, Rnd: rnd);

    public static WalRecord Voting(PValue vote) => new(WalRecordKind.Voted, Vote: vote);

    public static WalRecord Decide(ulong slot, Value value) => new(WalRecordKind.Decided, Decision: new LearnMsg { Slot = slot, Val = value });

    /// <summary>The record's bytes: its kind, then its content.</summary>
    public byte[] Body()
    {
        var content = Kind switch
        {
            WalRecordKind.Promised => LittleEndian(Rnd),
            WalRecordKind.Voted => Vote!.ToByteArray(),
            _ => Decision!.ToByteArray(),
        };
        return [(byte)Kind, .. content];
    }

    /// <summary>The record these bytes hold, or null when they hold none (an unknown kind, content that does not parse).</summary>
    public static WalRecord? FromBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var content = body[1..];
        try
        {
            return (WalRecordKind)body[0] switch
            {
                WalRecordKind.Promised when content.Length == sizeof(long) => Promise(BinaryPrimitives.ReadInt64LittleEndian(content)),
                WalRecordKind.Voted => Voting(PValue.Parser.ParseFrom(content)),
                WalRecordKind.Decided => new(WalRecordKind.Decided, Decision: LearnMsg.Parser.ParseFrom(content)),
                _ => null,
            };
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static byte[] LittleEndian(long value)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    public override string ToString() => Kind switch
    {
        WalRecordKind.Promised => $"promised rnd {Rnd}",
        WalRecordKind.Voted => $"voted slot {Vote!.Slot} rnd {Vote.Vrnd}",
        _ => $"decided slot {Decision!.Slot}",
    };
}
