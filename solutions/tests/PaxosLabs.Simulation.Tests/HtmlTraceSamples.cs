using Google.Protobuf;
using PaxosLabs.Simulation;
using PaxosLabs.Storage;

namespace PaxosLabs.Simulation.Tests;

/// <summary>Hand-made traces for the HTML trace tests: every kind of event, in the shapes the simulator records them.</summary>
internal static class HtmlTraceSamples
{
    public static readonly string[] Nodes = ["s0", "s1", "s2", "c"];

    public const string Replay = "PAXOSLABS_SEED=4242 dotnet test --filter \"FullyQualifiedName~Storage_survives\"";

    public static HtmlTraceInfo Info(string? failure = "linearizability violated: read returned ts=0 after a write of ts=1 completed") =>
        new("Storage_survives_a_crash, seed 4242", 4242, Replay, failure, Nodes);

    /// <summary>What the storage example's messages carry, as the simulator records them: its trace labels are <c>Write ts=1 "v1"</c>, <c>WriteResponse new</c>, <c>Read</c>, <c>State ts=0</c>.</summary>
    public static TraceMessage Storage(string method, IMessage message, bool reply = false) =>
        new($"paxoslabs.storage.Storage/{method}", reply, message.ToByteString());

    /// <summary>
    /// A write to three servers (one request lost), replies (one duplicated), a crash, a partition
    /// (a request cut off), a request to the crashed node (receiver down), heal, restart, a timer,
    /// notes, a pause, and a message still in flight at the end. Deliveries: 6; drops: 3.
    /// </summary>
    public static List<TraceEvent> Small()
    {
        var events = new List<TraceEvent>();
        long step = 0;
        var ms = 0.0;

        void Add(TraceEvent e) => events.Add(e);
        var write = Storage("Write", new State { Value = "v1", Timestamp = 1 });
        var written = Storage("Write", new WriteResponse { New = true }, reply: true);
        var read = Storage("Read", new ReadRequest());
        var stale = Storage("Read", new State(), reply: true);
        TraceEvent E(TraceKind kind, string node, string? peer = null, string? method = null, long id = 0, bool reply = false, string? detail = null, string? state = null) =>
            new TraceEvent(step, TimeSpan.FromMilliseconds(ms), kind, node, peer, method, id, reply, detail)
            {
                State = state,
                Message = (method, reply, id) switch
                {
                    ("Write", false, 10) => Storage("Write", new State { Value = "v2", Timestamp = 2 }),
                    ("Write", false, _) => write,
                    ("Write", true, _) => written,
                    ("Read", false, _) => read,
                    ("Read", true, _) => stale,
                    _ => null,
                },
            };

        step = 1;
        Add(E(TraceKind.Invoke, "c", detail: "write v1 then read", state: "idle"));
        Add(E(TraceKind.Send, "c", "s0", "Write", 1, state: "writing ts=1"));
        Add(E(TraceKind.Send, "c", "s1", "Write", 2, state: "writing ts=1"));
        Add(E(TraceKind.Send, "c", "s2", "Write", 3, state: "writing ts=1"));
        Add(E(TraceKind.Drop, "c", "s2", "Write", 3, detail: "lost", state: "writing ts=1"));
        step = 2; ms = 1.8;
        Add(E(TraceKind.Deliver, "s0", "c", "Write", 1, state: "ts=1 v=v1"));
        Add(E(TraceKind.Send, "s0", "c", "Write", 4, reply: true, state: "ts=1 v=v1"));
        step = 3; ms = 2.6;
        Add(E(TraceKind.Deliver, "s1", "c", "Write", 2, state: "ts=1 v=v1"));
        Add(E(TraceKind.Send, "s1", "c", "Write", 5, reply: true, state: "ts=1 v=v1"));
        Add(E(TraceKind.Duplicate, "s1", "c", "Write", 5, reply: true, state: "ts=1 v=v1"));
        step = 4; ms = 4.1;
        Add(E(TraceKind.Deliver, "c", "s0", "Write", 4, reply: true, state: "writing ts=1 (1 ack)"));
        step = 5; ms = 5.0;
        Add(E(TraceKind.Deliver, "c", "s1", "Write", 5, reply: true, state: "wrote ts=1"));
        step = 6; ms = 6.3;
        Add(E(TraceKind.Deliver, "c", "s1", "Write", 5, reply: true, state: "wrote ts=1"));
        step = 7; ms = 10;
        Add(E(TraceKind.Note, "sim", detail: "crash s0"));
        Add(E(TraceKind.Crash, "s0"));
        step = 8; ms = 12;
        Add(E(TraceKind.Partition, "sim", detail: "{c} <-> {s1}"));
        step = 9; ms = 15;
        Add(E(TraceKind.Timer, "c", state: "reading"));
        Add(E(TraceKind.Send, "c", "s1", "Read", 6, state: "reading"));
        Add(E(TraceKind.Drop, "c", "s1", "Read", 6, detail: "partitioned", state: "reading"));
        Add(E(TraceKind.Send, "c", "s0", "Read", 7, state: "reading"));
        Add(E(TraceKind.Send, "c", "s2", "Read", 8, state: "reading"));
        step = 10; ms = 17.5;
        Add(E(TraceKind.Drop, "s0", "c", "Read", 7, detail: "receiver down"));
        step = 11; ms = 18.2;
        Add(E(TraceKind.Deliver, "s2", "c", "Read", 8, state: "ts=0"));
        Add(E(TraceKind.Send, "s2", "c", "Read", 9, reply: true, state: "ts=0"));
        step = 12; ms = 20;
        Add(E(TraceKind.Heal, "sim"));
        step = 13; ms = 21.4;
        Add(E(TraceKind.Deliver, "c", "s2", "Read", 9, reply: true, state: "read ts=0"));
        Add(E(TraceKind.Note, "c", detail: "read returned ts=0", state: "read ts=0"));
        step = 14; ms = 25;
        Add(E(TraceKind.Restart, "s0"));
        Add(E(TraceKind.Pause, "s2", state: "ts=0"));
        step = 15; ms = 26;
        Add(E(TraceKind.Send, "c", "s0", "Write", 10, state: "writing ts=2"));
        step = 16; ms = 30;
        Add(E(TraceKind.Resume, "s2", state: "ts=0"));
        return events;
    }

    /// <summary>A long run of request and reply pairs between two nodes: <paramref name="count"/> events.</summary>
    public static List<TraceEvent> Huge(int count)
    {
        var events = new List<TraceEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var id = (i / 2) + 1;
            events.Add(i % 2 == 0
                ? new TraceEvent(i, TimeSpan.FromMilliseconds(i), TraceKind.Send, "a", "b", "Ping", id)
                : new TraceEvent(i, TimeSpan.FromMilliseconds(i), TraceKind.Deliver, "b", "a", "Ping", id) { State = $"pings={id}" });
        }

        return events;
    }
}
