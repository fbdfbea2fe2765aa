using System.Globalization;
using PaxosLabs.Gorums.Server;
using PaxosLabs.Gorums.Transport;

namespace PaxosLabs.Gorums.Grpc;

/// <summary>The gRPC transport: node addresses are "host:port" (or an http/https URL).</summary>
public sealed class GrpcTransport : ITransport
{
    private readonly GrpcTransportOptions _options;
    private readonly InMemoryNetwork _local = new(); // the nodes served in this process (ServeLocally), by normalized address

    public GrpcTransport(GrpcTransportOptions? options = null)
    {
        _options = options ?? new GrpcTransportOptions();
        _options.Validate();
    }

    public void ValidateAddress(string address) => ToUri(address);

    public INodeLink Connect(string address, ILinkHandler handler, string clientName)
    {
        var uri = ToUri(address);
        return _local.IsListening(uri.AbsoluteUri) ? _local.Connect(uri.AbsoluteUri, handler, clientName) : new GrpcNodeLink(uri, handler, _options);
    }

    /// <summary>
    /// Links of this transport to <paramref name="address"/> go to <paramref name="server"/> in
    /// memory (a replica's messages to itself: no serialization round trip through HTTP/2 and the
    /// loopback interface; the server still runs one sender's messages in order).
    /// </summary>
    public void ServeLocally(string address, GorumsServer server) => _local.Listen(ToUri(address).AbsoluteUri, server);

    /// <summary>Parses an address; <see cref="ArgumentException"/> naming it when it is malformed.</summary>
    public static Uri ToUri(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new ArgumentException("A node address must not be empty.", nameof(address));
        }

        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.IsDefaultPort && !HasExplicitPort(address)
            || uri.AbsolutePath != "/")
        {
            throw new ArgumentException($"Malformed node address '{address}': expected host:port, e.g. 127.0.0.1:5001.", nameof(address));
        }

        return uri;
    }

    private static bool HasExplicitPort(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
