using System.Threading.Channels;
using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The single writer of one stream, client or server end: drains the queued envelopes onto the
/// stream in order. Whatever is queued when the writer looks goes out as one batch (up to
/// <see cref="BatchBytes"/>), so a burst of calls costs one gRPC message and one flush rather than
/// one per envelope; an envelope alone in the queue goes out at once, in a batch of one. The
/// single reader of the queue is this writer, so what it peeks is what it reads next.
/// </summary>
internal static class Outbox
{
    /// <summary>A batch holds at most this many bytes of envelopes; an envelope larger than this travels alone.</summary>
    public const int BatchBytes = 64 * 1024;

    public static async Task DrainAsync(ChannelReader<Envelope> outbox, IAsyncStreamWriter<EnvelopeBatch> stream, CancellationToken token)
    {
        while (await outbox.WaitToReadAsync(token).ConfigureAwait(false))
        {
            var batch = new EnvelopeBatch();
            var bytes = 0;
            while (outbox.TryPeek(out var envelope))
            {
                var size = envelope.CalculateSize();
                if (batch.Envelopes.Count > 0 && bytes + size > BatchBytes)
                {
                    break; // the next batch starts with it
                }

                outbox.TryRead(out _);
                batch.Envelopes.Add(envelope);
                bytes += size;
            }

            // No token per write: the call's own cancellation aborts a write that is stuck.
            await stream.WriteAsync(batch).ConfigureAwait(false);
        }
    }
}
