using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums.Grpc;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Storage;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// n storage servers on 127.0.0.1, each served twice: by the framework (<see cref="GorumsGrpcHost"/>)
/// and by the baselines' plain gRPC service (<see cref="RawHost"/>), both over the same
/// <see cref="StorageServer"/> instance, so every contender reads the same state the same way.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    /// <summary>What every server holds during the benchmark (a small, realistic register value).</summary>
    public static readonly State InitialState = new() { Value = "benchmark-value-0123456789abcdef", Timestamp = 1 };

    private readonly List<GorumsGrpcHost> _gorumsHosts = [];
    private readonly List<RawHost> _rawHosts = [];

    private Cluster(int size)
    {
        Size = size;
    }

    public int Size { get; }

    public IReadOnlyList<string> GorumsAddresses => [.. _gorumsHosts.Select(h => h.Address)];

    public IReadOnlyList<string> RawAddresses => [.. _rawHosts.Select(h => h.Address)];

    public static async Task<Cluster> StartAsync(int size)
    {
        var cluster = new Cluster(size);
        try
        {
            for (var i = 0; i < size; i++)
            {
                var storage = new StorageServer();
                await storage.Write(InitialState, null!); // the handler ignores its context
                cluster._gorumsHosts.Add(await GorumsGrpcHost.StartAsync(new GorumsServer().Register(storage)));
                cluster._rawHosts.Add(await RawHost.StartAsync(storage));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _gorumsHosts)
        {
            await host.DisposeAsync();
        }

        foreach (var host in _rawHosts)
        {
            await host.DisposeAsync();
        }
    }
}

/// <summary>Kestrel serving <see cref="RawStorageService"/>: configured exactly like <see cref="GorumsGrpcHost"/>.</summary>
internal sealed class RawHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RawHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<RawHost> StartAsync(StorageServer storage)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(storage);
        var app = builder.Build();
        app.MapGrpcService<RawStorageService>();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawHost(app, $"127.0.0.1:{new Uri(bound).Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }
}
