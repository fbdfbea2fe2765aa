using System.Net;
using System.Net.Http;
using DotNext.Net.Cluster.Consensus.Raft;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaxosLabs.Benchmarks.RaftWire;

namespace PaxosLabs.Benchmarks;

/// <summary>How a Raft peer client reaches the leader.</summary>
internal enum RaftClientHop
{
    /// <summary>Over gRPC (HTTP/2 on 127.0.0.1), one duplex stream per client, as the kit's clients reach its replicas.</summary>
    Grpc,

    /// <summary>A direct in-process call of <c>ReplicateAsync</c>: Raft's own cost, with no client hop.</summary>
    InProcess,
}

/// <summary>A node's client service: runs each put through <c>ReplicateAsync</c> and answers when it has committed.</summary>
internal sealed class RaftKvService(RaftCluster raft) : RaftKv.RaftKvBase
{
    private static readonly RaftPutReply Committed = new() { Committed = true };
    private static readonly RaftPutReply NotLeader = new() { Committed = false };

    /// <summary>One client's stream, answered in order; the client has one put in flight at a time.</summary>
    public override async Task Puts(IAsyncStreamReader<RaftPutRequest> requestStream, IServerStreamWriter<RaftPutReply> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        while (await requestStream.MoveNext(token).ConfigureAwait(false))
        {
            var reply = Committed;
            try
            {
                await raft.ReplicateAsync(requestStream.Current.Command.Memory, null, token).ConfigureAwait(false);
            }
            catch (NotLeaderException)
            {
                reply = NotLeader;
            }

            await responseStream.WriteAsync(reply, token).ConfigureAwait(false);
        }
    }
}

/// <summary>Kestrel serving <see cref="RaftKvService"/> for one node, configured like the suite's other gRPC hosts.</summary>
internal sealed class RaftFrontDoor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RaftFrontDoor(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<RaftFrontDoor> StartAsync(RaftCluster raft, CancellationToken token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(raft);
        var app = builder.Build();
        app.MapGrpcService<RaftKvService>();
        await app.StartAsync(token).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RaftFrontDoor(app, $"127.0.0.1:{new Uri(bound).Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One client's way to the leader: false from <see cref="PutAsync"/> means "not the leader, find it and retry".</summary>
internal interface IRaftPutter : IAsyncDisposable
{
    ValueTask<bool> PutAsync(ReadOnlyMemory<byte> command, CancellationToken token);

    /// <summary>Why the last put returned false, for the error of a put that never commits.</summary>
    string LastFailure { get; }

    /// <summary>Points the client at node <paramref name="leader"/> (after a leader change).</summary>
    ValueTask RetargetAsync(int leader, CancellationToken token);
}

/// <summary>Calls the leader's <c>ReplicateAsync</c> directly.</summary>
internal sealed class InProcessPutter(RaftKvCluster cluster, int leader) : IRaftPutter
{
    private RaftCluster _leader = cluster.Raft(leader);

    public async ValueTask<bool> PutAsync(ReadOnlyMemory<byte> command, CancellationToken token)
    {
        try
        {
            await _leader.ReplicateAsync(command, null, token).ConfigureAwait(false);
            return true;
        }
        catch (NotLeaderException)
        {
            LastFailure = "the node was not the leader";
            return false;
        }
    }

    public string LastFailure { get; private set; } = "";

    public ValueTask RetargetAsync(int leader, CancellationToken token)
    {
        _leader = cluster.Raft(leader);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// A duplex gRPC stream to the leader's front door, on a connection of this client's own (as a
/// separate client process would have); after a leader change or a failed stream, a new
/// connection and stream to the leader replace them.
/// </summary>
internal sealed class GrpcPutter : IRaftPutter
{
    private readonly IReadOnlyList<string> _addresses;
    private readonly CancellationToken _lifetime;
    private GrpcChannel _channel;
    private AsyncDuplexStreamingCall<RaftPutRequest, RaftPutReply> _call;

    public GrpcPutter(IReadOnlyList<string> addresses, int leader, CancellationToken lifetime)
    {
        _addresses = addresses;
        _lifetime = lifetime;
        (_channel, _call) = Open(leader);
    }

    public async ValueTask<bool> PutAsync(ReadOnlyMemory<byte> command, CancellationToken token)
    {
        try
        {
            await _call.RequestStream.WriteAsync(new RaftPutRequest { Command = Google.Protobuf.ByteString.CopyFrom(command.Span) }, token).ConfigureAwait(false);
            if (!await _call.ResponseStream.MoveNext(token).ConfigureAwait(false))
            {
                LastFailure = "the front door ended the stream";
                return false;
            }

            LastFailure = _call.ResponseStream.Current.Committed ? "" : "the node was not the leader";
            return _call.ResponseStream.Current.Committed;
        }
        catch (Exception e) when (IsStreamFailure(e) && !token.IsCancellationRequested)
        {
            // The node went away mid-call, or the stream failed: the same as "not the leader", the
            // client finds the leader and retries on a new connection, with the same sequence number.
            LastFailure = $"{e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    public string LastFailure { get; private set; } = "";

    public async ValueTask RetargetAsync(int leader, CancellationToken token)
    {
        await CloseAsync().ConfigureAwait(false);
        (_channel, _call) = Open(leader);
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private static bool IsStreamFailure(Exception e) => e is RpcException or HttpProtocolException or IOException;

    private (GrpcChannel, AsyncDuplexStreamingCall<RaftPutRequest, RaftPutReply>) Open(int node)
    {
        var channel = GrpcChannel.ForAddress("http://" + _addresses[node]);
        return (channel, new RaftKv.RaftKvClient(channel).Puts(cancellationToken: _lifetime));
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
            while (await _call.ResponseStream.MoveNext(_lifetime).ConfigureAwait(false))
            {
                // drain: the server ends the stream once it has answered everything sent
            }
        }
        catch (Exception e) when (IsStreamFailure(e))
        {
            // already broken; nothing to drain
        }
        catch (InvalidOperationException)
        {
            // already completed
        }
        finally
        {
            _call.Dispose();
            _channel.Dispose();
        }
    }
}
