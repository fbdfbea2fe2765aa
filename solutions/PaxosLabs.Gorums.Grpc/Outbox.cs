using System.Threading.Channels;
using Grpc.Core;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The single writer of one stream, client or server end: drains the queued envelopes onto the
/// stream in order. A write that has more queued behind it is only buffered; the last write of a
/// pass flushes them all, so a burst of calls costs one flush rather than one per message.
/// </summary>
internal static class Outbox
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);
    private static readonly WriteOptions Flushed = new();

    public static async Task DrainAsync(ChannelReader<Envelope> outbox, IAsyncStreamWriter<Envelope> stream, CancellationToken token)
    {
        while (await outbox.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (outbox.TryRead(out var envelope))
            {
                stream.WriteOptions = outbox.TryPeek(out _) ? Buffered : Flushed;
                // No token per write: the call's own cancellation aborts a write that is stuck.
                await stream.WriteAsync(envelope).ConfigureAwait(false);
            }
        }
    }
}
