using PaxosLabs.Gorums;
using PaxosLabs.Gorums.Server;

namespace PaxosLabs.Detectors;

/// <summary>
/// The server side of the heartbeats: every heartbeat that arrives goes to the node's failure
/// detector. Host it with <c>new GorumsServer().Register(server)</c>.
/// </summary>
public sealed class HeartbeatServer : HeartbeatsServerBase
{
    private readonly FailureDetector _detector;

    public HeartbeatServer(FailureDetector detector)
    {
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
    }

    public override Task Beat(Heartbeat request, ServerContext context)
    {
        _detector.Handle(request);
        return Task.CompletedTask;
    }
}

/// <summary>Sends heartbeats over the framework: one unicast per heartbeat to its <see cref="Heartbeat.To"/>.</summary>
public sealed class HeartbeatSender : IHeartbeatSender
{
    private readonly HeartbeatsConfiguration _client;

    /// <param name="configuration">The nodes heartbeats may go to (every watched node, this one included).</param>
    public HeartbeatSender(Configuration configuration)
    {
        _client = new HeartbeatsConfiguration(configuration ?? throw new ArgumentNullException(nameof(configuration)));
    }

    public void Send(Heartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (!_client.Configuration.Contains(heartbeat.To))
        {
            return; // no address for that node: the heartbeat is lost, as on a real network
        }

        // A unicast only queues the message on the node's stream: it completes at once, and a node
        // that is down misses the message.
        _ = _client.BeatAsync(heartbeat.To, heartbeat);
    }
}
