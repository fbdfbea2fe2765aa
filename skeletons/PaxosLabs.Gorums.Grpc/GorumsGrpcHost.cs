using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>
/// Serves a <see cref="GorumsServer"/> over gRPC on Kestrel (HTTP/2 without TLS). Port 0 picks a
/// free port; <see cref="Address"/> says which.
/// </summary>
public sealed class GorumsGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GorumsGrpcHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>"host:port" that clients dial.</summary>
    public string Address { get; }

    /// <param name="listen">"host:port", e.g. 127.0.0.1:0 or 0.0.0.0:5001.</param>
    public static async Task<GorumsGrpcHost> StartAsync(GorumsServer server, string listen = "127.0.0.1:0", ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var uri = GrpcTransport.ToUri(listen);
        var ip = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host, out var parsed) ? parsed
            : throw new ArgumentException($"Listen address '{listen}' must be an IP address or localhost.", nameof(listen));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(ip, uri.Port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        var app = builder.Build();
        app.MapGrpcService<GorumsGrpcService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        var host = ip.Equals(IPAddress.Any) ? "127.0.0.1" : ip.ToString();
        return new GorumsGrpcHost(app, $"{host}:{port}");
    }

    /// <summary>Stops serving: every stream to this host breaks, as when the process dies.</summary>
    public async ValueTask DisposeAsync()
    {
        // No grace period: open streams end at once, which is what a crash test wants.
        await _app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
