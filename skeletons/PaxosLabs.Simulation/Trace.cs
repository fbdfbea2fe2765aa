using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PaxosLabs.Simulation;

public enum TraceKind
{
    Send,
    Deliver,
    Drop,
    Duplicate,
    Timer,
    Invoke,
    Crash,
    Restart,
    Partition,
    Heal,
    Pause,
    Resume,
    Note,
}

/// <summary>
/// One event of a run. <see cref="Node"/> is where it happened; for messages <see cref="Peer"/> is
/// the other end (the receiver of a send, the sender of a delivery). <see cref="MessageId"/> ties a
/// send to its deliveries (and duplicates).
/// </summary>
public sealed record TraceEvent(
    long Step,
    TimeSpan Time,
    TraceKind Kind,
    string Node,
    string? Peer = null,
    string? Method = null,
    long MessageId = 0,
    bool IsReply = false,
    string? Detail = null)
{
    /// <summary>The node's state right after the event, when the run captures states.</summary>
    public string? State { get; init; }

    /// <summary>What the message carried (sends, deliveries, drops and duplicates of the simulator's messages).</summary>
    public TraceMessage? Message { get; init; }

    /// <summary>
    /// The message's label (<c>Accept r=3 s=7 c0#4 put x="1"</c>), or its method when the event
    /// holds no message content; null for events that are no message.
    /// </summary>
    public string? Label => Message?.Label ?? Method;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{Step} {Time.TotalMilliseconds:0.###}ms {Kind} {Node}");
        if (Peer is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" {(Kind == TraceKind.Send ? "->" : "<-")} {Peer}");
        }

        if (Label is { } label)
        {
            text.Append(CultureInfo.InvariantCulture, $" {label}{(IsReply ? " (reply)" : "")} m{MessageId}");
        }

        if (Detail is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $": {Detail}");
        }

        return text.ToString();
    }
}

/// <summary>The events of a run in order, and a hash that identifies it.</summary>
public sealed class Trace
{
    private readonly List<TraceEvent> _events = [];

    public IReadOnlyList<TraceEvent> Events => _events;

    internal void Add(TraceEvent e) => _events.Add(e);

    /// <summary>SHA-256 over every event: the same seed and code give the same hash.</summary>
    public string Hash()
    {
        var text = string.Join('\n', _events.Select(e => e.ToString()));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Counts of the run's events: per kind, and messages sent per method.</summary>
    public TraceStatistics Statistics() => new(
        _events.GroupBy(e => e.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.LongCount()),
        _events.Where(e => e.Kind == TraceKind.Send && e.Method is not null)
            .GroupBy(e => e.IsReply ? e.Method + " (reply)" : e.Method!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.LongCount()));

    public override string ToString() => string.Join(Environment.NewLine, _events);
}

/// <summary>How many events of each kind a run had, and how many messages of each method it sent.</summary>
public sealed record TraceStatistics(IReadOnlyDictionary<TraceKind, long> ByKind, IReadOnlyDictionary<string, long> SentByMethod)
{
    public long Count(TraceKind kind) => ByKind.TryGetValue(kind, out var n) ? n : 0;

    /// <summary>One line: "412 messages sent, 21 dropped, 18 duplicated, 3 crashes, 40 timer firings".</summary>
    public override string ToString() =>
        $"{Count(TraceKind.Send)} messages sent, {Count(TraceKind.Drop)} dropped, {Count(TraceKind.Duplicate)} duplicated, " +
        $"{Count(TraceKind.Crash)} crashes, {Count(TraceKind.Timer)} timer firings";
}
