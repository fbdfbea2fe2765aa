using System.Globalization;
using System.Runtime.InteropServices;
using Grpc.Net.Client;
using PaxosLabs.Gorums.Grpc;

namespace PaxosLabs.Node;

/// <summary>
/// What the replica, client and cluster commands share: the <c>--nodes</c> map
/// (<c>1=127.0.0.1:5001,2=127.0.0.1:5002,…</c>), a gRPC transport that reconnects quickly, and
/// Ctrl-C / SIGTERM handling.
/// </summary>
internal static class NodeMap
{
    public const string Example = "1=127.0.0.1:5001,2=127.0.0.1:5002,3=127.0.0.1:5003";

    /// <summary>Parses and checks a map; <see cref="FormatException"/> with a one-line reason when it is bad.</summary>
    public static Dictionary<uint, string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException($"--nodes is empty; expected id=host:port,… e.g. {Example}");
        }

        var nodes = new Dictionary<uint, string>();
        var byAddress = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new FormatException($"malformed --nodes entry '{entry}': expected id=host:port, e.g. 1=127.0.0.1:5001");
            }

            if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new FormatException($"malformed --nodes entry '{entry}': the id '{parts[0]}' is not a non-negative integer");
            }

            Uri uri;
            try
            {
                uri = GrpcTransport.ToUri(parts[1]);
            }
            catch (ArgumentException)
            {
                throw new FormatException($"malformed --nodes entry '{entry}': the address '{parts[1]}' is not host:port, e.g. 127.0.0.1:5001");
            }

            if (uri.Port is < 1 or > 65535)
            {
                throw new FormatException($"malformed --nodes entry '{entry}': port {uri.Port} is out of range (1–65535)");
            }

            if (nodes.ContainsKey(id))
            {
                throw new FormatException($"duplicate id {id} in --nodes");
            }

            if (byAddress.TryGetValue(uri.Authority, out var other))
            {
                throw new FormatException($"duplicate address {parts[1]} in --nodes (ids {other} and {id})");
            }

            nodes[id] = parts[1];
            byAddress[uri.Authority] = id;
        }

        return nodes;
    }

    public static string Show(IReadOnlyDictionary<uint, string> nodes) =>
        string.Join(",", nodes.OrderBy(n => n.Key).Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key}={n.Value}")));

    /// <summary>
    /// A gRPC transport that reconnects within a second, so that a replica that comes up late (or a
    /// client that starts before the cluster) is reached soon. The channel's own default backoff
    /// grows up to two minutes.
    /// </summary>
    public static GrpcTransport Transport() => new(new GrpcTransportOptions
    {
        DialTimeout = TimeSpan.FromSeconds(2),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        ChannelOptions = new GrpcChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        },
    });

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Ctrl-C and SIGTERM cancel <see cref="Token"/> (linked to the command's token) instead of killing the process.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration _onInterrupt;
    private readonly PosixSignalRegistration _onTerminate;

    public Interruption(CancellationToken token)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(token);
        _onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        _onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    }

    public CancellationToken Token => _source.Token;

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // a signal that raced with the end of the command: it is ending already
        }
    }

    public void Dispose()
    {
        _onInterrupt.Dispose();
        _onTerminate.Dispose();
        _source.Dispose();
    }
}
