using System.Threading.Channels;
using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Protocol;
using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The server end of the node streams: each incoming stream is one sender's session, whose read
/// loop hands each message of each batch to its handler in arrival order; replies go back, batched,
/// through a single writer.
/// </summary>
internal sealed class GorumsGrpcService(GorumsServer server) : Protocol.Transport.TransportBase
{
    public override async Task NodeStream(IAsyncStreamReader<EnvelopeBatch> requestStream, IServerStreamWriter<EnvelopeBatch> responseStream, ServerCallContext context)
    {
        // Headers first: the client counts the stream as open once it sees them.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        var outbox = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true });
        var token = context.CancellationToken;
        // The client matches a reply to its call by sequence number alone, so the method name does
        // not travel back (the in-memory transport keeps it for the simulator's traces).
        using var session = server.OpenSession(context.Peer, reply =>
        {
            reply.Method = "";
            outbox.Writer.TryWrite(reply);
        });
        var writer = Outbox.DrainAsync(outbox.Reader, responseStream, token);
        try
        {
            // The call's own cancellation ends the read, so a read needs no token of its own.
            while (await requestStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                foreach (var message in requestStream.Current.Envelopes)
                {
                    await session.HandleAsync(message).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            outbox.Writer.TryComplete();
        }

        await writer.ConfigureAwait(false);
    }
}
