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
        IMessage? message = Kind switch
        {
            WalRecordKind.Promised => null,
            WalRecordKind.Voted => Vote!,
            _ => Decision!,
        };
        var body = new byte[1 + (message?.CalculateSize() ?? sizeof(long))]; // one array, written in place
        body[0] = (byte)Kind;
        if (message is null)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(1), Rnd);
        }
        else
        {
            message.WriteTo(body.AsSpan(1));
        }

        return body;
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

    public override string ToString() => Kind switch
    {
        WalRecordKind.Promised => $"promised rnd {Rnd}",
        WalRecordKind.Voted => $"voted slot {Vote!.Slot} rnd {Vote.Vrnd}",
        _ => $"decided slot {Decision!.Slot}",
    };
}
