using Google.Protobuf;

namespace PaxosLabs.Gorums;

/// <summary>
/// A message's bytes inside an envelope, written and read through spans: no
/// <see cref="CodedOutputStream"/> or <see cref="CodedInputStream"/> per message.
/// </summary>
internal static class Payload
{
    public static ByteString Of(IMessage message)
    {
        var bytes = new byte[message.CalculateSize()];
        message.WriteTo(bytes);
        // Nothing else holds the array, so the ByteString may own it without a copy.
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    public static T Read<T>(MessageParser<T> parser, ByteString payload)
        where T : IMessage<T> => parser.ParseFrom(payload.Span);
}
