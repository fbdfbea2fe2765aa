namespace PaxosLabs.Detectors;

/// <summary>
/// Where a failure detector's heartbeats go. The production sender hands them to the framework
/// (a unicast to <see cref="Heartbeat.To"/>); tests record them.
/// </summary>
public interface IHeartbeatSender
{
    /// <summary>
    /// Sends one heartbeat to node <see cref="Heartbeat.To"/> and returns at once. It must not
    /// block and must not call back into the detector: the detector calls it holding its lock.
    /// A heartbeat to a node that is down or unknown is lost, as on a real network.
    /// </summary>
    void Send(Heartbeat heartbeat);
}

/// <summary>
/// Told of every suspicion and restoration of a failure detector, in the order the detector
/// decides them. The leader detector is one; the demo's printer is another.
/// </summary>
public interface ISuspicionListener
{
    /// <summary>The failure detector now suspects node <paramref name="id"/> to have crashed.</summary>
    void Suspect(uint id);

    /// <summary>The failure detector no longer suspects node <paramref name="id"/>.</summary>
    void Restore(uint id);
}
