using System.Globalization;
using System.Text;

namespace PaxosLabs.Simulation;

/// <summary>What the HTML trace tells besides the events: a title, the seed, the command that replays the run, the failure and the nodes to draw (in order).</summary>
public sealed record HtmlTraceInfo(string Title, long Seed, string ReplayCommand, string? Failure, IReadOnlyList<string> Nodes);

/// <summary>
/// Renders a trace as one self-contained HTML page: a header (seed, replay command, failure,
/// counts), a space-time diagram in inline SVG (a lifeline per node, a row per event, messages as
/// arrows), a side panel with every node's state at the selected event, and a plain list of all
/// events that works without scripts. The page loads nothing: no network, no external scripts,
/// styles or fonts. Its markup is also well-formed XML (XHTML-compatible), so tools can parse it.
/// </summary>
public static partial class HtmlTrace
{
    /// <summary>The diagram draws at most this many events (rows); the page says so when it cuts.</summary>
    public const int MaxDiagramRows = 5_000;

    /// <summary>The event list (and the data behind the side panel) holds at most this many events.</summary>
    public const int MaxListedEvents = 50_000;

    /// <summary>The node name the simulator uses for scripted notes, partitions and heals: drawn as bands, not a lifeline.</summary>
    public const string ScriptNode = "sim";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A complete HTML document: no network access, no external scripts, styles or fonts.</summary>
    public static string Render(IReadOnlyList<TraceEvent> events, HtmlTraceInfo info)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(info);
        var lanes = Lanes(events, info.Nodes);
        var rows = Math.Min(events.Count, MaxDiagramRows);
        var listed = Math.Min(events.Count, MaxListedEvents);
        var messages = MessageIndex.Build(events);

        var html = new StringBuilder(4096 + (events.Count * 400));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append(Inv, $"<title>{Esc(info.Title)}</title>\n");
        html.Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        AppendHeader(html, events, info, rows, listed);
        html.Append("<div class=\"main\">\n<div class=\"diagram-col\">\n");
        html.Append("<div class=\"wrap\" id=\"wrap\">\n");
        AppendDiagram(html, events, lanes, rows, messages);
        html.Append("</div>\n");
        if (rows < events.Count)
        {
            html.Append(Inv, $"<p class=\"cap\">{Esc(CapNote(events.Count, rows, listed))}</p>\n");
        }

        html.Append("</div>\n");
        AppendPanel(html, events, lanes, listed);
        html.Append("</div>\n");
        AppendList(html, events, listed);
        AppendData(html, events, lanes, rows, listed);
        html.Append("<script>/*<![CDATA[*/").Append(Script).Append("/*]]>*/</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the trace to <paramref name="path"/> (creating its folders) and returns the file's full path.</summary>
    public static string Write(string path, IReadOnlyList<TraceEvent> events, HtmlTraceInfo info)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(full, Render(events, info), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return full;
    }

    /// <summary>The lifelines: <paramref name="nodes"/> in order, then every other node named by an event; never <see cref="ScriptNode"/>.</summary>
    internal static List<string> Lanes(IReadOnlyList<TraceEvent> events, IReadOnlyList<string>? nodes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lanes = new List<string>();
        foreach (var node in nodes ?? [])
        {
            Add(node);
        }

        foreach (var e in events)
        {
            if (e.Kind is TraceKind.Partition or TraceKind.Heal)
            {
                continue;
            }

            Add(e.Node);
            if (e.Kind is TraceKind.Send or TraceKind.Deliver or TraceKind.Drop or TraceKind.Duplicate)
            {
                Add(e.Peer);
            }
        }

        return lanes;

        void Add(string? node)
        {
            if (!string.IsNullOrEmpty(node) && node != ScriptNode && seen.Add(node))
            {
                lanes.Add(node);
            }
        }
    }

    private static string CapNote(int total, int rows, int listed) =>
        string.Create(Inv, $"Showing first {rows} of {total} events in the diagram; ") +
        (listed < total
            ? string.Create(Inv, $"the event list below holds the first {listed}.")
            : "the event list below holds all of them.");

    private static void AppendHeader(StringBuilder html, IReadOnlyList<TraceEvent> events, HtmlTraceInfo info, int rows, int listed)
    {
        var count = (TraceKind kind) => events.Count(e => e.Kind == kind);
        html.Append("<header class=\"top\">\n");
        html.Append(Inv, $"<h1>{Esc(info.Title)}</h1>\n");
        html.Append("<div class=\"facts\">");
        Fact(html, "seed", info.Seed.ToString(Inv), "seed");
        Fact(html, "events", events.Count.ToString(Inv), null);
        Fact(html, "messages", count(TraceKind.Send).ToString(Inv), null);
        Fact(html, "drops", count(TraceKind.Drop).ToString(Inv), count(TraceKind.Drop) > 0 ? "bad" : null);
        Fact(html, "duplicates", count(TraceKind.Duplicate).ToString(Inv), count(TraceKind.Duplicate) > 0 ? "warn" : null);
        Fact(html, "crashes", count(TraceKind.Crash).ToString(Inv), count(TraceKind.Crash) > 0 ? "bad" : null);
        if (count(TraceKind.Restart) > 0)
        {
            Fact(html, "restarts", count(TraceKind.Restart).ToString(Inv), null);
        }

        if (count(TraceKind.Partition) > 0)
        {
            Fact(html, "partitions", count(TraceKind.Partition).ToString(Inv), "warn");
        }

        var span = events.Count == 0
            ? "none"
            : $"{Ms(events.Min(e => e.Time))} \u2013 {Ms(events.Max(e => e.Time))}";
        Fact(html, "virtual time", span, null);
        if (events.Count > 0)
        {
            Fact(html, "steps", $"{events[0].Step.ToString(Inv)} \u2013 {events[^1].Step.ToString(Inv)}", null);
        }

        html.Append("</div>\n");
        html.Append("<div class=\"replay\"><span class=\"label\">Replay exactly this run:</span> ");
        html.Append(Inv, $"<code id=\"replay\" class=\"cmd\">{Esc(info.ReplayCommand)}</code> ");
        html.Append("<button type=\"button\" id=\"copy\" class=\"copy\" title=\"Copy the replay command\">copy</button></div>\n");
        if (!string.IsNullOrEmpty(info.Failure))
        {
            html.Append(Inv, $"<div class=\"failure\" id=\"failure\"><span class=\"label\">Failure</span><pre>{Esc(info.Failure)}</pre></div>\n");
        }
        else
        {
            html.Append("<div class=\"ok\">No failure recorded for this run.</div>\n");
        }

        if (rows < events.Count)
        {
            html.Append(Inv, $"<div class=\"cap\" id=\"cap\">{Esc(CapNote(events.Count, rows, listed))}</div>\n");
        }

        html.Append(Legend);
        html.Append("</header>\n");
    }

    private static void Fact(StringBuilder html, string name, string value, string? style) =>
        html.Append(Inv, $"<span class=\"fact{(style is null ? "" : " " + style)}\"><span class=\"k\">{Esc(name)}</span> <b>{Esc(value)}</b></span>");

    /// <summary>The side panel; without scripts it shows every node's last known state, with scripts the selected event's.</summary>
    private static void AppendPanel(StringBuilder html, IReadOnlyList<TraceEvent> events, List<string> lanes, int listed)
    {
        html.Append("<aside class=\"panel\" id=\"panel\">\n");
        html.Append("<div class=\"goto\"><label for=\"goto\">go to step</label> <input id=\"goto\" type=\"number\" min=\"0\"/></div>\n");
        html.Append("<div id=\"p-event\" class=\"p-event\"><p class=\"hint\">Hover over a row of the diagram to see its event and every node's state at that point; " +
            "click to pin it (click again or Esc to release, \u2191/\u2193 or j/k to step).</p>" +
            "<noscript><p class=\"hint\">Scripts are off: below is each node's state at the end of the trace; the event list under the diagram has every event.</p></noscript></div>\n");

        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var down = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < listed; i++)
        {
            var e = events[i];
            if (e.State is not null)
            {
                states[e.Node] = e.State;
            }

            if (e.Kind == TraceKind.Crash)
            {
                down.Add(e.Node);
            }
            else if (e.Kind == TraceKind.Restart)
            {
                down.Remove(e.Node);
            }
        }

        html.Append("<div class=\"p-title\" id=\"p-title\">Node states at the end of the trace</div>\n");
        html.Append("<table class=\"states\" id=\"p-nodes\"><tbody>");
        foreach (var lane in lanes)
        {
            var status = down.Contains(lane) ? "crashed" : "up";
            html.Append(Inv, $"<tr class=\"{status}\"><th>{Esc(lane)}</th><td class=\"status\">{status}</td>");
            html.Append(Inv, $"<td><pre>{Esc(states.GetValueOrDefault(lane, "(no state captured)"))}</pre></td></tr>");
        }

        html.Append("</tbody></table>\n</aside>\n");
    }

    /// <summary>Every event (up to <see cref="MaxListedEvents"/>) as plain text with an anchor, each message's whole content at its send, and each node's state where it changed.</summary>
    private static void AppendList(StringBuilder html, IReadOnlyList<TraceEvent> events, int listed)
    {
        html.Append("<section class=\"list\">\n<h2>All events</h2>\n");
        if (listed < events.Count)
        {
            html.Append(Inv, $"<p class=\"cap\">Listing the first {listed} of {events.Count} events.</p>\n");
        }

        if (events.Count == 0)
        {
            html.Append("<p>The trace has no events.</p>\n");
        }

        html.Append("<div class=\"events\" id=\"events\">\n");
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < listed; i++)
        {
            var e = events[i];
            html.Append(Inv, $"<div class=\"ev k-{e.Kind}\" id=\"e{i}\" data-i=\"{i}\"><a class=\"ix\" href=\"#e{i}\">{i}</a> <span class=\"tx\">{Esc(e.ToString())}</span>");

            // The whole message once, at its send; its deliveries and drops share its id (m…).
            if (e is { Kind: TraceKind.Send, Message.Content: { Length: > 0 } content })
            {
                html.Append(Inv, $"<div class=\"pl\"><span class=\"k\">m{e.MessageId}:</span> {Esc(content)}</div>");
            }
            var state = ChangedState(last, e);
            if (state is not null)
            {
                html.Append(Inv, $"<div class=\"st\"><span class=\"k\">{Esc(e.Node)} state:</span> {Esc(state)}</div>");
            }

            html.Append("</div>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    /// <summary>The event's state when it differs from the node's previous one (a crash or restart forgets the previous one); null otherwise.</summary>
    private static string? ChangedState(Dictionary<string, string?> last, TraceEvent e)
    {
        if (e.Kind is TraceKind.Crash or TraceKind.Restart)
        {
            last[e.Node] = null;
        }

        if (e.State is null || (last.TryGetValue(e.Node, out var before) && before == e.State))
        {
            return null;
        }

        last[e.Node] = e.State;
        return e.State;
    }

    /// <summary>
    /// The events as JSON for the page's script: [step, ms, kind, node, peer, method, message, reply,
    /// detail, state (only where it changed), text]. Every character that could end the script
    /// element or break XML (&lt; &gt; &amp; quotes, non-ASCII) is a \u escape.
    /// </summary>
    private static void AppendData(StringBuilder html, IReadOnlyList<TraceEvent> events, List<string> lanes, int rows, int listed)
    {
        html.Append("<script type=\"application/json\" id=\"trace-data\">{\"rows\":");
        html.Append(rows.ToString(Inv)).Append(",\"total\":").Append(events.Count.ToString(Inv)).Append(",\"nodes\":[");
        for (var k = 0; k < lanes.Count; k++)
        {
            html.Append(k == 0 ? "" : ",");
            Json(html, lanes[k]);
        }

        html.Append("],\"events\":[\n");
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < listed; i++)
        {
            var e = events[i];
            html.Append(i == 0 ? "[" : ",\n[");
            html.Append(e.Step.ToString(Inv)).Append(',');
            html.Append(e.Time.TotalMilliseconds.ToString("0.######", Inv)).Append(',');
            Json(html, e.Kind.ToString());
            html.Append(',');
            Json(html, e.Node);
            html.Append(',');
            Json(html, e.Peer);
            html.Append(',');
            Json(html, e.Method);
            html.Append(',').Append(e.MessageId.ToString(Inv)).Append(',').Append(e.IsReply ? '1' : '0').Append(',');
            Json(html, e.Detail);
            html.Append(',');
            Json(html, ChangedState(last, e));
            html.Append(',');
            Json(html, e.ToString());
            html.Append(']');
        }

        html.Append("\n]}</script>\n");
    }

    /// <summary>A JSON string of printable ASCII only: everything else, and &lt; &gt; &amp; ' ", is a \u escape.</summary>
    internal static void Json(StringBuilder json, string? text)
    {
        if (text is null)
        {
            json.Append("null");
            return;
        }

        json.Append('"');
        foreach (var c in text)
        {
            if (c is >= ' ' and < (char)0x7F and not ('"' or '\\' or '<' or '>' or '&' or '\''))
            {
                json.Append(c);
            }
            else
            {
                json.Append("\\u").Append(((int)c).ToString("x4", Inv));
            }
        }

        json.Append('"');
    }

    /// <summary>
    /// Text for HTML and XML alike, in element content and quoted attributes: markup characters
    /// become entities; characters XML cannot hold (controls, lone surrogates) become U+FFFD.
    /// </summary>
    internal static string Esc(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                case '\t' or '\n':
                    escaped.Append(c);
                    break;
                case '\r':
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else if (c < ' ' || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' || (c >= '\u007F' && c <= '\u009F'))
                    {
                        escaped.Append('\uFFFD');
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters, ending in an ellipsis when cut.</summary>
    internal static string Truncate(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var line = text.ReplaceLineEndings(" ");
        if (line.Length <= max)
        {
            return line;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }

        return string.Concat(line.AsSpan(0, cut), "\u2026");
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("#,0.###", Inv) + " ms";
}
