// INSTRUCTOR ONLY
// The trace's message labels on real runs of every stage. Kit-only: in a handout these runs need
// the stages' solved code (stage 4's), so they would fail before any task is done.
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Google.Protobuf;
using PaxosLabs.Simulation;
using PaxosLabs.Testing.Worlds;
using Multi = PaxosLabs.MultiPaxos;
using Single = PaxosLabs.SinglePaxos;

namespace PaxosLabs.Simulation.Tests;

public class TraceLabelTests
{
    private const string MultiService = "paxoslabs.multipaxos.MultiPaxos/";

    private static readonly Lazy<SimulationOutcome> MultiRun = new(() =>
        MultiPaxosScenario.Run(new SimulationOptions { Seed = 3001, Faults = MultiPaxosScenario.Faults }, new MultiPaxosFaults()));

    private static IReadOnlyList<TraceEvent> MultiEvents => MultiRun.Value.Simulator.Trace.Events;

    [Fact]
    public void A_multi_paxos_accept_is_labelled_with_its_round_slot_and_value()
    {
        Assert.Null(MultiRun.Value.Failure);
        var accepts = Sends(MultiEvents, "Accept", reply: false);
        Assert.NotEmpty(accepts);
        foreach (var e in accepts)
        {
            var accept = Multi.AcceptMsg.Parser.ParseFrom(e.Message!.Payload);
            var expected = $"Accept r={accept.Rnd} s={accept.Slot} {Value(accept.Val)}";
            if (accept.Val.Batch.Count > 0)
            {
                Assert.StartsWith(expected, e.Label, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected, e.Label);
            }
        }

        Assert.Contains(accepts, e => e.Label!.Contains(" put ", StringComparison.Ordinal) || e.Label.Contains(" append ", StringComparison.Ordinal));

        // Each arrow's learn answers with the same slot and round (or a NACK's higher round).
        foreach (var e in Sends(MultiEvents, "Accept", reply: true))
        {
            var learn = Multi.LearnMsg.Parser.ParseFrom(e.Message!.Payload);
            Assert.StartsWith($"Learn r={learn.Rnd} s={learn.Slot}", e.Label, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Client_requests_promises_commits_and_heartbeats_name_their_concepts()
    {
        var labels = MultiEvents.Where(e => e.Kind == TraceKind.Send).Select(e => e.Label!).ToList();
        Assert.Contains(labels, l => Regex.IsMatch(l, "^ClientHandle c\\d+#\\d+ (get [xyz]|put [xyz]=\"|append [xyz]\\+=\")"));
        Assert.Contains(labels, l => Regex.IsMatch(l, "^Response c\\d+#\\d+"));
        Assert.Contains(labels, l => Regex.IsMatch(l, "^Prepare r=\\d+ from s=\\d+$"));
        Assert.Contains(labels, l => Regex.IsMatch(l, "^Promise r=\\d+( \\(\\d+ votes?\\))?$"));
        Assert.Contains(labels, l => Regex.IsMatch(l, "^Commit r=\\d+ s=\\d+ "));
        Assert.Contains(labels, l => l == "Beat request");
        Assert.Contains(labels, l => l == "Beat reply");

        // A promise counts the votes it carries.
        foreach (var e in Sends(MultiEvents, "Prepare", reply: true))
        {
            var promise = Multi.PromiseMsg.Parser.ParseFrom(e.Message!.Payload);
            var votes = promise.Accepted.Count switch { 0 => "", 1 => " (1 vote)", var n => $" ({n} votes)" };
            var round = promise.Rnd < 0 ? "none" : promise.Rnd.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"Promise r={round}{votes}", e.Label, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_page_shows_the_labels_on_the_arrows_and_in_the_event_list_with_the_whole_message()
    {
        var events = MultiEvents.Take(HtmlTrace.MaxDiagramRows).ToList();
        var info = new HtmlTraceInfo("Multi-Paxos, 3 replicas, 3 clients, a leader crash and a partition, seed 3001", 3001,
            "PAXOSLABS_SEED=3001 dotnet test solutions/tests/PaxosLabs.Stage4.Tests --filter \"FullyQualifiedName~SimulationSweepTests\"", null, MultiPaxosScenario.Names(new MultiPaxosFaults()));
        var html = HtmlTrace.Render(events, info);

        // For a look in a browser: grader/scripts/check-trace-render.sh <this file> out.png 'Accept r=' 'Promise r='
        HtmlTrace.Write(Path.Combine(Path.GetTempPath(), "paxoslabs-traces", "multipaxos.html"), events, info);
        var page = XDocument.Parse(Regex.Replace(html, "^<!DOCTYPE html>", ""));
        var row = events.FindIndex(e => e is { Kind: TraceKind.Send, Method: "Accept", IsReply: false } && events.Any(d => d.Kind == TraceKind.Deliver && d.MessageId == e.MessageId));
        Assert.True(row >= 0, "the run's first rows hold no delivered accept");
        var accept = events[row];
        var value = Value(Multi.AcceptMsg.Parser.ParseFrom(accept.Message!.Payload).Val);

        // On the diagram: the send's label names round, slot and (the start of) the value.
        var mark = page.Descendants().Single(e => e.Name.LocalName == "g" && (string?)e.Attribute("data-i") == row.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && ((string?)e.Attribute("class"))!.Contains("send", StringComparison.Ordinal));
        var label = mark.Elements().Single(e => e.Name.LocalName == "text").Value;
        Assert.Matches("^Accept r=\\d+ s=\\d+ ", label);
        Assert.StartsWith(label.TrimEnd('\u2026'), accept.Label!, StringComparison.Ordinal);
        Assert.Contains(value[..Math.Min(6, value.Length)], label, StringComparison.Ordinal);

        // In the event list: the same label, and the whole message below the send.
        var item = page.Descendants().Single(e => (string?)e.Attribute("id") == $"e{row}");
        var text = item.Elements().Single(e => (string?)e.Attribute("class") == "tx").Value;
        Assert.Contains($"{accept.Label} m{accept.MessageId}", text, StringComparison.Ordinal);
        var whole = item.Elements().Single(e => (string?)e.Attribute("class") == "pl").Value;
        Assert.Contains("\"slot\"", whole, StringComparison.Ordinal);
        Assert.Contains(accept.Message.Content, whole, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_decree_messages_show_rounds_votes_and_values()
    {
        var run = SinglePaxosScenario.Run(new SimulationOptions { Seed = 3001, Faults = SinglePaxosScenario.Faults }, 3, 1);
        Assert.Null(run.Failure);
        var sends = run.Simulator.Trace.Events.Where(e => e.Kind == TraceKind.Send).ToList();
        foreach (var e in sends.Where(e => e is { Method: "Prepare", IsReply: false }))
        {
            Assert.Equal($"Prepare r={Single.PrepareMsg.Parser.ParseFrom(e.Message!.Payload).Crnd}", e.Label);
        }

        foreach (var e in sends.Where(e => e is { Method: "Prepare", IsReply: true }))
        {
            var promise = Single.PromiseMsg.Parser.ParseFrom(e.Message!.Payload);
            var vote = promise.Vrnd < 0 ? "no vote" : $"vote r={promise.Vrnd} \"{promise.Vval}\"";
            Assert.Equal($"Promise r={promise.Rnd} {vote}", e.Label);
        }

        foreach (var e in sends.Where(e => e is { Method: "Accept" or "Commit" }))
        {
            var (rnd, val) = e.IsReply || e.Method == "Commit"
                ? (Single.LearnMsg.Parser.ParseFrom(e.Message!.Payload) is var l ? (l.Rnd, l.Val) : default)
                : (Single.AcceptMsg.Parser.ParseFrom(e.Message!.Payload) is var a ? (a.Rnd, a.Val) : default);
            var name = e.IsReply ? "Learn" : e.Method;
            Assert.Equal(val.Length == 0 ? $"{name} r={rnd}" : $"{name} r={rnd} \"{val}\"", e.Label);
        }

        Assert.Contains(sends, e => e.Label!.StartsWith("Commit r=", StringComparison.Ordinal));
    }

    [Fact]
    public void Storage_messages_show_timestamp_and_value()
    {
        var world = new StorageWorld(5);
        var read = world.WriteThenRead(2);
        world.Sim.RunUntil(() => read.IsCompleted, 100_000);
        var labels = world.Sim.Trace.Events.Where(e => e.Kind == TraceKind.Send).Select(e => e.Label).ToList();
        Assert.Contains("Write ts=1 \"v1\"", labels);
        Assert.Contains("Write ts=2 \"v2\"", labels);
        Assert.Contains("WriteResponse new", labels);
        Assert.Contains("Read", labels);
        Assert.Contains("State ts=2 \"v2\"", labels);
    }

    [Fact]
    public void No_ops_batches_long_values_and_errors_are_summarised()
    {
        static string Label(string method, IMessage message, bool reply = false) => new TraceMessage(MultiService + method, reply, message.ToByteString()).Label;
        var put = new Multi.Value { ClientId = "c1", ClientSeq = 4, Command = new Multi.KvCommand { Op = Multi.KvCommand.Types.Op.Put, Key = "x", Value = "1" } };
        var get = new Multi.Value { ClientId = "c2", ClientSeq = 9, Command = new Multi.KvCommand { Op = Multi.KvCommand.Types.Op.Get, Key = "y" } };
        var append = new Multi.Value { ClientId = "c3", ClientSeq = 1, Command = new Multi.KvCommand { Op = Multi.KvCommand.Types.Op.Append, Key = "z", Value = "ab" } };

        Assert.Equal("Accept r=3 s=7 c1#4 put x=\"1\"", Label("Accept", new Multi.AcceptMsg { Rnd = 3, Slot = 7, Val = put }));
        Assert.Equal("Accept r=3 s=8 no-op", Label("Accept", new Multi.AcceptMsg { Rnd = 3, Slot = 8, Val = new Multi.Value { IsNoop = true } }));
        Assert.Equal("ClientHandle c2#9 get y", Label("ClientHandle", get));
        Assert.Equal("Forward c3#1 append z+=\"ab\"", Label("Forward", append));
        Assert.Equal("Prepare r=4 from s=5", Label("Prepare", new Multi.PrepareMsg { Crnd = 4, FromSlot = 5 }));
        Assert.Equal("Promise r=none snapshot to s=12", Label("Prepare", new Multi.PromiseMsg { Rnd = -1, SnapshotSlot = 12 }, reply: true));
        Assert.Equal("Response c1#4 \"1\"", Label("ClientHandle", new Multi.Response { ClientId = "c1", ClientSeq = 4, Result = "1" }, reply: true));
        Assert.Equal("Catchup from s=3", Label("Catchup", new Multi.CatchupRequest { FromSlot = 3 }));
        Assert.Equal("CatchupReply (2 decided)", Label("Catchup", new Multi.CatchupReply { Decided = { new Multi.LearnMsg(), new Multi.LearnMsg() } }, reply: true));

        var batch = new Multi.Value { Batch = { put, get, append } };
        var batchLabel = Label("Commit", new Multi.LearnMsg { Rnd = 2, Slot = 1, Val = batch });
        Assert.StartsWith("Commit r=2 s=1 batch of 3 [c1#4 put x=\"1\", c2#9 get y", batchLabel, StringComparison.Ordinal);

        var longValue = new Multi.Value { ClientId = "c1", ClientSeq = 5, Command = new Multi.KvCommand { Op = Multi.KvCommand.Types.Op.Put, Key = "x", Value = new string('a', 200) } };
        var message = new TraceMessage(MultiService + "Accept", false, new Multi.AcceptMsg { Rnd = 3, Slot = 9, Val = longValue }.ToByteString());
        Assert.Equal($"Accept r=3 s=9 c1#5 put x=\"{new string('a', MessageTextValueChars - 1)}\u2026\"", message.Label);
        Assert.Contains(new string('a', 200), message.Content, StringComparison.Ordinal);

        var failed = new TraceMessage(MultiService + "Accept", true, ByteString.Empty, "NotImplementedException: TODO(4.1): …");
        Assert.Equal("Accept error: NotImplementedException: TODO(4.1): …", failed.Label);
        Assert.Equal("Unknown", new TraceMessage("no.such.Service/Unknown", false, ByteString.CopyFromUtf8("xyz")).Label);
    }

    /// <summary>MessageText.ValueChars: strings inside a label keep this many characters, the last one an ellipsis.</summary>
    private const int MessageTextValueChars = 16;

    private static List<TraceEvent> Sends(IReadOnlyList<TraceEvent> events, string method, bool reply) =>
        [.. events.Where(e => e.Kind == TraceKind.Send && e.Method == method && e.IsReply == reply)];

    /// <summary>The label's text for a value, written out independently of the formatter.</summary>
    private static string Value(Multi.Value value) =>
        value.IsNoop ? "no-op"
        : value.Batch.Count > 0 ? $"batch of {value.Batch.Count} ["
        : value.Command.Op switch
        {
            Multi.KvCommand.Types.Op.Get => $"{value.ClientId}#{value.ClientSeq} get {value.Command.Key}",
            Multi.KvCommand.Types.Op.Append => $"{value.ClientId}#{value.ClientSeq} append {value.Command.Key}+=\"{value.Command.Value}\"",
            _ => $"{value.ClientId}#{value.ClientSeq} put {value.Command.Key}=\"{value.Command.Value}\"",
        };
}
