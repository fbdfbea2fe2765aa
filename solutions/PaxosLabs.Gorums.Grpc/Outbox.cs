using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// Batches on the streams: whatever a stream's writer finds queued goes out as one batch (up to
/// <see cref="BatchBytes"/>), so a burst of calls or replies costs one gRPC message and one flush
/// rather than one per envelope; an envelope alone in the queue goes out at once, in a batch of one.
/// </summary>
internal static class Outbox
{
    /// <summary>A batch holds at most this many bytes of envelopes; an envelope larger than this travels alone.</summary>
    public const int BatchBytes = 64 * 1024;

    /// <summary>Peeks at, or takes, the next queued envelope; false when the queue is empty.</summary>
    internal delegate bool Take([MaybeNullWhen(false)] out Envelope envelope);

    /// <summary>The client end's single writer: drains the link's queue onto the stream in order.</summary>
    public static async Task DrainAsync(ChannelReader<Envelope> outbox, IAsyncStreamWriter<EnvelopeBatch> stream, CancellationToken token)
    {
        Take peek = outbox.TryPeek, take = outbox.TryRead;
        var batch = new EnvelopeBatch(); // reused: a written message has been serialized
        while (await outbox.WaitToReadAsync(token).ConfigureAwait(false))
        {
            Fill(batch, peek, take);
            // No token per write: the call's own cancellation aborts a write that is stuck.
            await stream.WriteAsync(batch).ConfigureAwait(false);
            batch.Envelopes.Clear();
        }
    }

    /// <summary>
    /// Moves queued envelopes into <paramref name="batch"/>, in order, while they fit: the first always
    /// does; a later one that would take the batch past <see cref="BatchBytes"/> starts the next batch.
    /// The caller is the queue's only reader, so what it peeks is what it takes next.
    /// </summary>
    public static void Fill(EnvelopeBatch batch, Take peek, Take take)
    {
        var bytes = 0;
        while (peek(out var envelope))
        {
            var size = envelope.CalculateSize();
            if (batch.Envelopes.Count > 0 && bytes + size > BatchBytes)
            {
                return;
            }

            take(out _);
            batch.Envelopes.Add(envelope);
            bytes += size;
        }
    }
}
