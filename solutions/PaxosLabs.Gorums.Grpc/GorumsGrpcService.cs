using Grpc.Core;
using PaxosLabs.Gorums.Grpc.Protocol;
using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// The server end of the node streams: each incoming stream is one sender's session, whose read
/// loop hands each message of each batch to its handler in arrival order, then writes the replies
/// of the handlers that finished at once as one batch (<see cref="Outbox"/>).
/// </summary>
internal sealed class GorumsGrpcService(GorumsServer server) : Protocol.Transport.TransportBase
{
    public override async Task NodeStream(IAsyncStreamReader<EnvelopeBatch> requestStream, IServerStreamWriter<EnvelopeBatch> responseStream, ServerCallContext context)
    {
        // Headers first: the client counts the stream as open once it sees them.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        var outbox = new Outbox(responseStream);
        Action flush = outbox.Flush;
        // The client matches a reply to its call by sequence number alone, so the method name does
        // not travel back (the in-memory transport keeps it for the simulator's traces).
        using var session = server.OpenSession(context.Peer, reply =>
        {
            reply.Method = "";
            if (ReplyBatch.Active)
            {
                outbox.Send(reply, write: false);
                ReplyBatch.Defer(flush); // written with the batch's other replies when the scope closes
            }
            else
            {
                outbox.Send(reply);
            }
        });
        try
        {
            // The call's own cancellation ends the read, so a read needs no token of its own.
            while (await requestStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                outbox.Hold();
                var batch = requestStream.Current.Envelopes;
                for (var i = 0; i < batch.Count; i++) // by index: a repeated field's enumerator is an allocation per batch
                {
                    var turn = session.HandleAsync(batch[i]);
                    if (!turn.IsCompletedSuccessfully)
                    {
                        // A handler that waits must not hold back the replies before it.
                        await outbox.ReleaseAsync().ConfigureAwait(false);
                        await turn.ConfigureAwait(false);
                        outbox.Hold();
                    }
                }

                await outbox.ReleaseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            outbox.Close();
        }
    }
}
