using Grpc.Core;
using PaxosLabs.Benchmarks.Raw;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// The server side of both baselines. A read returns the node's state exactly as
/// <see cref="StorageServer.Read"/> does (a copy taken under the server's lock).
/// </summary>
internal sealed class RawStorageService(StorageServer storage) : RawStorage.RawStorageBase
{
    /// <summary>
    /// One sender's stream: requests are answered in arrival order (FIFO, like a framework
    /// session). The handler is synchronous, so the loop writes each reply itself: no queue, no
    /// second task, and still a single writer on the stream.
    /// </summary>
    public override async Task ReadStream(IAsyncStreamReader<StreamRead> requestStream, IServerStreamWriter<StreamState> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        while (await requestStream.MoveNext(token))
        {
            var request = requestStream.Current;
            await responseStream.WriteAsync(new StreamState { Seq = request.Seq, State = storage.State }, token);
        }
    }

    public override Task<State> Read(ReadRequest request, ServerCallContext context) => Task.FromResult(storage.State);
}
