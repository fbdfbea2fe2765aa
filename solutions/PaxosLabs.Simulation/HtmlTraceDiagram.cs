using System.Text;

namespace PaxosLabs.Simulation;

/// <summary>The space-time diagram of <see cref="HtmlTrace"/>: inline SVG, a lifeline per node, a row per event.</summary>
public static partial class HtmlTrace
{
    private const double RowHeight = 22;
    private const double TopMargin = 40;
    private const double GutterWidth = 132;
    private const double LanePadLeft = 118;
    private const double LanePadRight = 200;
    private const int TimeEvery = 5;

    private enum Life
    {
        Up,
        Down,
        Paused,
    }

    /// <summary>Where each message was sent and what became of it (deliveries and drops, in order).</summary>
    private sealed class MessageIndex
    {
        public Dictionary<long, int> SendRow { get; } = [];

        public Dictionary<long, List<int>> Outcomes { get; } = [];

        public static MessageIndex Build(IReadOnlyList<TraceEvent> events)
        {
            var index = new MessageIndex();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (e.MessageId == 0)
                {
                    continue;
                }

                if (e.Kind == TraceKind.Send)
                {
                    index.SendRow.TryAdd(e.MessageId, i);
                }
                else if (e.Kind is TraceKind.Deliver or TraceKind.Drop)
                {
                    if (!index.Outcomes.TryGetValue(e.MessageId, out var rows))
                    {
                        index.Outcomes[e.MessageId] = rows = [];
                    }

                    rows.Add(i);
                }
            }

            return index;
        }
    }

    private sealed class Geometry
    {
        private readonly Dictionary<string, int> _lanes = new(StringComparer.Ordinal);

        public Geometry(IReadOnlyList<string> lanes, int rows)
        {
            for (var k = 0; k < lanes.Count; k++)
            {
                _lanes[lanes[k]] = k;
            }

            Spacing = lanes.Count <= 1 ? 0 : Math.Clamp(600.0 / (lanes.Count - 1), 170, 240);
            Width = Math.Ceiling(GutterWidth + LanePadLeft + (Spacing * Math.Max(0, lanes.Count - 1)) + LanePadRight);
            Bottom = TopMargin + (rows * RowHeight);
            Height = Bottom + 16;
        }

        public double Spacing { get; }

        public double Width { get; }

        public double Height { get; }

        /// <summary>Where the rows end.</summary>
        public double Bottom { get; }

        public double LaneX(int lane) => GutterWidth + LanePadLeft + (lane * Spacing);

        public bool TryX(string? node, out double x)
        {
            if (node is not null && _lanes.TryGetValue(node, out var lane))
            {
                x = LaneX(lane);
                return true;
            }

            x = 0;
            return false;
        }

        public static double Y(int row) => TopMargin + (row * RowHeight) + (RowHeight / 2);

        public static double RowTop(int row) => TopMargin + (row * RowHeight);
    }

    private static void AppendDiagram(StringBuilder svg, IReadOnlyList<TraceEvent> events, List<string> lanes, int rows, MessageIndex messages)
    {
        var g = new Geometry(lanes, rows);

        // Node names that stay in view while the diagram scrolls; they cover the SVG's own labels exactly.
        svg.Append(Inv, $"<div class=\"lanes\" style=\"width:{g.Width:0}px\"><span class=\"gutter-head\">time \u00b7 step</span>");
        for (var k = 0; k < lanes.Count; k++)
        {
            svg.Append(Inv, $"<span class=\"lane\" style=\"left:{g.LaneX(k):0.#}px\" title=\"{Esc(lanes[k])}\">{Esc(Truncate(lanes[k], 16))}</span>");
        }

        svg.Append("</div>\n");
        svg.Append(Inv, $"<svg id=\"diagram\" class=\"diagram\" width=\"{g.Width:0}\" height=\"{g.Height:0}\" viewBox=\"0 0 {g.Width:0} {g.Height:0}\" role=\"img\" aria-label=\"space-time diagram\">\n");
        svg.Append(Markers);

        // Ledger blocks of TimeEvery rows, the gutter, and one hit area per row.
        for (var row = TimeEvery; row < rows; row += 2 * TimeEvery)
        {
            var height = Math.Min(TimeEvery, rows - row) * RowHeight;
            svg.Append(Inv, $"<rect class=\"block\" x=\"0\" y=\"{Geometry.RowTop(row):0.#}\" width=\"{g.Width:0}\" height=\"{height:0.#}\"/>\n");
        }

        svg.Append(Inv, $"<line class=\"gutter-line\" x1=\"{GutterWidth}\" y1=\"{TopMargin}\" x2=\"{GutterWidth}\" y2=\"{g.Bottom:0.#}\"/>\n");
        svg.Append("<g class=\"rows\">\n");
        for (var row = 0; row < rows; row++)
        {
            svg.Append(Inv, $"<rect class=\"row\" data-i=\"{row}\" x=\"0\" y=\"{Geometry.RowTop(row):0.#}\" width=\"{g.Width:0}\" height=\"{RowHeight:0}\"/>\n");
        }

        svg.Append("</g>\n");
        AppendPartitionPeriods(svg, events, rows, g);
        AppendGutter(svg, events, rows);
        AppendLifelines(svg, events, lanes, rows, g);
        AppendBands(svg, events, rows, g);
        AppendMessages(svg, events, rows, messages, g);
        AppendMarks(svg, events, rows, g);
        svg.Append("</svg>\n");
    }

    /// <summary>A bar in the gutter while some links are cut (from a partition to the next heal).</summary>
    private static void AppendPartitionPeriods(StringBuilder svg, IReadOnlyList<TraceEvent> events, int rows, Geometry g)
    {
        int? start = null;
        var what = new List<string>();
        for (var row = 0; row <= rows; row++)
        {
            var end = row == rows;
            if (!end && events[row].Kind == TraceKind.Partition)
            {
                start ??= row;
                what.Add(events[row].Detail ?? "partition");
            }

            if (start is { } from && (end || events[row].Kind == TraceKind.Heal))
            {
                var top = Geometry.Y(from);
                var bottom = end ? g.Bottom : Geometry.Y(row);
                svg.Append(Inv, $"<rect class=\"period\" x=\"{GutterWidth - 7}\" y=\"{top:0.#}\" width=\"5\" height=\"{Math.Max(2, bottom - top):0.#}\">");
                svg.Append(Inv, $"<title>{Esc("partitioned: " + string.Join("; ", what))}</title></rect>\n");
                start = null;
                what.Clear();
            }
        }
    }

    /// <summary>Full-width bands for what the script did (partitions, heals, notes of "sim") and events of nodes without a lifeline.</summary>
    private static void AppendBands(StringBuilder svg, IReadOnlyList<TraceEvent> events, int rows, Geometry g)
    {
        svg.Append("<g class=\"bands\">\n");
        for (var row = 0; row < rows; row++)
        {
            var e = events[row];
            if (!IsBand(e, g))
            {
                continue;
            }

            var (style, text) = e.Kind switch
            {
                TraceKind.Partition => ("partition", $"PARTITION  {e.Detail}"),
                TraceKind.Heal => ("heal", "HEAL  every link restored" + (e.Detail is null ? "" : ": " + e.Detail)),
                TraceKind.Note => ("note", $"{e.Node}: {e.Detail}"),
                _ => ("other", e.ToString()),
            };
            var top = Geometry.RowTop(row);
            svg.Append(Inv, $"<g class=\"band {style}\" data-i=\"{row}\"><title>{Esc(e.ToString())}</title>");
            svg.Append(Inv, $"<rect x=\"{GutterWidth + 2}\" y=\"{top + 2:0.#}\" width=\"{g.Width - GutterWidth - 4:0}\" height=\"{RowHeight - 4:0}\" rx=\"3\"/>");
            svg.Append(Inv, $"<text x=\"{GutterWidth + 12}\" y=\"{top + 15:0.#}\">{Esc(Truncate(text, (int)((g.Width - GutterWidth) / 7)))}</text></g>\n");
        }

        svg.Append("</g>\n");
    }

    private static bool IsBand(TraceEvent e, Geometry g) =>
        e.Kind is TraceKind.Partition or TraceKind.Heal || !g.TryX(e.Node, out _);

    /// <summary>The step of each row (when it changes), linked to the event list, and the virtual time every few rows.</summary>
    private static void AppendGutter(StringBuilder svg, IReadOnlyList<TraceEvent> events, int rows)
    {
        svg.Append("<g class=\"gutter\">\n");
        for (var row = 0; row < rows; row++)
        {
            var e = events[row];
            var y = Geometry.Y(row) + 4;
            if (row % TimeEvery == 0)
            {
                svg.Append(Inv, $"<text class=\"time\" x=\"6\" y=\"{y:0.#}\">{Esc(Ms(e.Time))}</text>");
            }

            if (row == 0 || events[row - 1].Step != e.Step)
            {
                svg.Append(Inv, $"<a href=\"#e{row}\"><text class=\"step\" x=\"{GutterWidth - 10}\" y=\"{y:0.#}\">#{e.Step}</text></a>");
            }

            svg.Append('\n');
        }

        svg.Append("</g>\n");
    }

    /// <summary>One lifeline per node: solid while up, dashed red while crashed, dotted while paused.</summary>
    private static void AppendLifelines(StringBuilder svg, IReadOnlyList<TraceEvent> events, List<string> lanes, int rows, Geometry g)
    {
        svg.Append("<g class=\"lifelines\">\n");
        for (var k = 0; k < lanes.Count; k++)
        {
            var name = lanes[k];
            var x = g.LaneX(k);
            svg.Append(Inv, $"<g class=\"lifeline\" data-node=\"{Esc(name)}\"><title>{Esc(name)}</title>");
            var label = Truncate(name, 16);
            var half = Math.Max(18, (label.Length * 4.2) + 10);
            svg.Append(Inv, $"<rect class=\"lname-box\" x=\"{x - half:0.#}\" y=\"8\" width=\"{2 * half:0.#}\" height=\"22\" rx=\"11\"/>");
            svg.Append(Inv, $"<text class=\"lname\" x=\"{x:0.#}\" y=\"23\">{Esc(label)}</text>\n");

            // A node whose first life event is a restart was down from the start.
            var first = events.FirstOrDefault(e => e.Node == name && e.Kind is TraceKind.Crash or TraceKind.Restart);
            var life = first?.Kind == TraceKind.Restart ? Life.Down : Life.Up;
            var from = TopMargin - 6;
            for (var row = 0; row < rows; row++)
            {
                var e = events[row];
                if (e.Node != name)
                {
                    continue;
                }

                var next = (e.Kind, life) switch
                {
                    (TraceKind.Crash, _) => Life.Down,
                    (TraceKind.Restart, _) => Life.Up,
                    (TraceKind.Pause, Life.Up) => Life.Paused,
                    (TraceKind.Resume, Life.Paused) => Life.Up,
                    _ => life,
                };
                if (next != life)
                {
                    Segment(svg, x, from, Geometry.Y(row), life);
                    from = Geometry.Y(row);
                    life = next;
                }
            }

            Segment(svg, x, from, g.Bottom, life);
            svg.Append("</g>\n");
        }

        svg.Append("</g>\n");

        static void Segment(StringBuilder svg, double x, double from, double to, Life life) =>
            svg.Append(Inv, $"<line class=\"ll {life.ToString().ToLowerInvariant()}\" x1=\"{x:0.#}\" y1=\"{from:0.#}\" x2=\"{x:0.#}\" y2=\"{to:0.#}\"/>");
    }

    /// <summary>
    /// An arrow from each send to each of its deliveries (a duplicate gives two), a dashed red line
    /// ending in an ✕ for each drop, and a short dotted stub for a message that never arrived.
    /// </summary>
    private static void AppendMessages(StringBuilder svg, IReadOnlyList<TraceEvent> events, int rows, MessageIndex messages, Geometry g)
    {
        svg.Append("<g class=\"msgs\">\n");
        for (var row = 0; row < rows; row++)
        {
            var e = events[row];
            if (IsBand(e, g))
            {
                continue;
            }

            if (e.Kind == TraceKind.Send && e.MessageId != 0)
            {
                if (!messages.Outcomes.TryGetValue(e.MessageId, out var outcomes) || messages.SendRow[e.MessageId] != row)
                {
                    if (!messages.Outcomes.ContainsKey(e.MessageId))
                    {
                        InFlight(svg, e, row, g);
                    }

                    continue;
                }

                var copies = 0;
                foreach (var outcome in outcomes)
                {
                    var o = events[outcome];
                    if (o.Kind == TraceKind.Deliver)
                    {
                        Arrow(svg, e, row, o, outcome, copies++ > 0, g);
                    }
                    else
                    {
                        DropLine(svg, e, row, o, outcome, g);
                    }
                }
            }
            else if (e.Kind is TraceKind.Deliver or TraceKind.Drop && (!messages.SendRow.TryGetValue(e.MessageId, out var sent) || IsBand(events[sent], g)))
            {
                Orphan(svg, e, row, g);
            }
            else if (e.Kind == TraceKind.Send)
            {
                InFlight(svg, e, row, g);
            }
        }

        svg.Append("</g>\n");
    }

    private static void Arrow(StringBuilder svg, TraceEvent send, int sendRow, TraceEvent deliver, int row, bool copy, Geometry g)
    {
        var style = send.IsReply || deliver.IsReply ? "rep" : "req";
        var marker = copy ? "copy" : style;
        g.TryX(send.Node, out var x1);
        if (!g.TryX(deliver.Node, out var x2))
        {
            x2 = x1 + 60;
        }

        var y1 = Geometry.Y(sendRow);
        var y2 = Geometry.Y(row);
        svg.Append(Inv, $"<g class=\"msg {style}{(copy ? " copy" : "")}\" data-i=\"{row}\" data-m=\"{send.MessageId}\"><title>{Esc(send + "\n" + deliver + (copy ? "\n(a duplicate copy)" : ""))}</title>");
        if (Math.Abs(x2 - x1) < 1)
        {
            // A message to itself: a loop to the right of the lifeline.
            svg.Append(Inv, $"<path d=\"M{x1:0.#},{y1:0.#} C{x1 + 46:0.#},{y1:0.#} {x1 + 46:0.#},{y2:0.#} {x1 + 3:0.#},{y2:0.#}\" marker-end=\"url(#ah-{marker})\"/>");
        }
        else
        {
            var toward = Math.Sign(x2 - x1);
            svg.Append(Inv, $"<line x1=\"{x1 + (toward * 3):0.#}\" y1=\"{y1:0.#}\" x2=\"{x2 - (toward * 2):0.#}\" y2=\"{y2:0.#}\" marker-end=\"url(#ah-{marker})\"/>");
        }

        svg.Append("</g>\n");
    }

    private static void DropLine(StringBuilder svg, TraceEvent send, int sendRow, TraceEvent drop, int row, Geometry g)
    {
        g.TryX(send.Node, out var x1);
        var hasReceiver = g.TryX(send.Peer, out var xr);
        var toward = hasReceiver && Math.Abs(xr - x1) >= 1 ? Math.Sign(xr - x1) : 1;

        // Lost or cut off by a partition: the message dies near its sender. Receiver down: it reached a dead node.
        var atReceiver = hasReceiver && drop.Node != send.Node && Math.Abs(xr - x1) >= 1;
        var x2 = atReceiver ? xr : hasReceiver && Math.Abs(xr - x1) >= 1 ? x1 + ((xr - x1) * 0.4) : x1 + 40;
        var y1 = Geometry.Y(sendRow);
        var y2 = Geometry.Y(row);
        var reason = drop.Detail ?? "dropped";
        svg.Append(Inv, $"<g class=\"drop\" data-i=\"{row}\" data-m=\"{send.MessageId}\"><title>{Esc(send + "\n" + drop)}</title>");
        svg.Append(Inv, $"<line x1=\"{x1 + (toward * 3):0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\"/>");
        Cross(svg, x2, y2);
        var anchor = toward > 0 ? "start" : "end";
        svg.Append(Inv, $"<text class=\"why\" x=\"{x2 + (toward * 10):0.#}\" y=\"{y2 + 4:0.#}\" text-anchor=\"{anchor}\">{Esc(reason)}</text></g>\n");
    }

    private static void Cross(StringBuilder svg, double x, double y) =>
        svg.Append(Inv, $"<path class=\"x\" d=\"M{x - 5:0.#},{y - 5:0.#} L{x + 5:0.#},{y + 5:0.#} M{x + 5:0.#},{y - 5:0.#} L{x - 5:0.#},{y + 5:0.#}\"/>");

    /// <summary>A message that no event of the trace delivers or drops: still in flight when the trace ends (or sent outside the simulation).</summary>
    private static void InFlight(StringBuilder svg, TraceEvent send, int row, Geometry g)
    {
        g.TryX(send.Node, out var x1);
        var toward = g.TryX(send.Peer, out var xr) && Math.Abs(xr - x1) >= 1 ? Math.Sign(xr - x1) : 1;
        var x2 = x1 + (toward * 46);
        var y = Geometry.Y(row);
        svg.Append(Inv, $"<g class=\"inflight\" data-i=\"{row}\" data-m=\"{send.MessageId}\"><title>{Esc(send + "\nnever delivered nor dropped in this trace (in flight at its end)")}</title>");
        svg.Append(Inv, $"<line x1=\"{x1 + (toward * 3):0.#}\" y1=\"{y:0.#}\" x2=\"{x2:0.#}\" y2=\"{y + 8:0.#}\"/>");
        svg.Append(Inv, $"<text x=\"{x2 + (toward * 4):0.#}\" y=\"{y + 12:0.#}\" text-anchor=\"{(toward > 0 ? "start" : "end")}\">\u2026 in flight</text></g>\n");
    }

    /// <summary>A delivery or drop whose send is not in the trace: a short arrow from the sender's side.</summary>
    private static void Orphan(StringBuilder svg, TraceEvent e, int row, Geometry g)
    {
        g.TryX(e.Node, out var x);
        var from = g.TryX(e.Peer, out var xp) && Math.Abs(xp - x) >= 1 ? Math.Sign(xp - x) : -1;
        var y = Geometry.Y(row);
        var style = e.Kind == TraceKind.Drop ? "drop" : e.IsReply ? "msg rep" : "msg req";
        svg.Append(Inv, $"<g class=\"{style} orphan\" data-i=\"{row}\" data-m=\"{e.MessageId}\"><title>{Esc(e + "\n(its send is not in the trace)")}</title>");
        if (e.Kind == TraceKind.Drop)
        {
            svg.Append(Inv, $"<line x1=\"{x + (from * 40):0.#}\" y1=\"{y - 8:0.#}\" x2=\"{x:0.#}\" y2=\"{y:0.#}\"/>");
            Cross(svg, x, y);
            svg.Append(Inv, $"<text class=\"why\" x=\"{x - (from * 10):0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"{(from > 0 ? "end" : "start")}\">{Esc(e.Detail ?? "dropped")}</text>");
        }
        else
        {
            svg.Append(Inv, $"<line x1=\"{x + (from * 40):0.#}\" y1=\"{y - 8:0.#}\" x2=\"{x + (from * 2):0.#}\" y2=\"{y:0.#}\" marker-end=\"url(#ah-{(e.IsReply ? "rep" : "req")})\"/>");
        }

        svg.Append("</g>\n");
    }

    /// <summary>What happens on a lifeline: sends (with the method's name), timers, invokes, notes, crashes, restarts, pauses, duplicates.</summary>
    private static void AppendMarks(StringBuilder svg, IReadOnlyList<TraceEvent> events, int rows, Geometry g)
    {
        svg.Append("<g class=\"marks\">\n");
        for (var row = 0; row < rows; row++)
        {
            var e = events[row];
            if (IsBand(e, g))
            {
                continue;
            }

            g.TryX(e.Node, out var x);
            var y = Geometry.Y(row);
            switch (e.Kind)
            {
                case TraceKind.Send:
                {
                    var hasReceiver = g.TryX(e.Peer, out var xr);
                    var toward = hasReceiver && xr < x - 1 ? -1 : 1;
                    var style = e.IsReply ? "rep" : "req";
                    var label = Truncate(e.Label ?? "message", LabelChars(g, x, hasReceiver ? xr : x)) + (e.IsReply ? " \u21a9" : "");
                    Open(svg, $"send {style}", row, e, e.MessageId);
                    svg.Append(Inv, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"3.5\"/>");
                    svg.Append(Inv, $"<text x=\"{x + (toward * 9):0.#}\" y=\"{y - 3:0.#}\" text-anchor=\"{(toward > 0 ? "start" : "end")}\">{Esc(label)}</text></g>\n");
                    break;
                }

                case TraceKind.Deliver:
                    Open(svg, e.IsReply ? "recv rep" : "recv req", row, e, e.MessageId);
                    svg.Append(Inv, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"2.5\"/></g>\n");
                    break;
                case TraceKind.Drop:
                    // The ✕ is drawn with the message's line.
                    break;
                case TraceKind.Duplicate:
                    Open(svg, "dup", row, e, e.MessageId);
                    svg.Append(Inv, $"<rect x=\"{x - 9:0.#}\" y=\"{y - 7:0.#}\" width=\"18\" height=\"14\" rx=\"3\"/>");
                    svg.Append(Inv, $"<text class=\"in\" x=\"{x:0.#}\" y=\"{y + 4:0.#}\">\u00d72</text>");
                    svg.Append(Inv, $"<text x=\"{x + 14:0.#}\" y=\"{y + 4:0.#}\">{Esc("duplicated " + Truncate(e.Label, 24))}</text></g>\n");
                    break;
                case TraceKind.Timer:
                    Mark(svg, "timer", row, e, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"5\"/><path d=\"M{x:0.#},{y - 3:0.#} V{y:0.#} H{x + 3:0.#}\"/>", x, y, Label(e, "timer"));
                    break;
                case TraceKind.Invoke:
                    Mark(svg, "invoke", row, e, $"<path d=\"M{x - 5:0.#},{y - 6:0.#} L{x + 6:0.#},{y:0.#} L{x - 5:0.#},{y + 6:0.#} z\"/>", x, y, Label(e, "invoke"));
                    break;
                case TraceKind.Note:
                    Mark(svg, "note", row, e, $"<rect x=\"{x - 4:0.#}\" y=\"{y - 4:0.#}\" width=\"8\" height=\"8\" transform=\"rotate(45 {x:0.#} {y:0.#})\"/>", x, y, Label(e, "note"));
                    break;
                case TraceKind.Crash:
                    Mark(svg, "crash", row, e, $"<rect x=\"{x - 14:0.#}\" y=\"{y - 3:0.#}\" width=\"28\" height=\"6\" rx=\"2\"/>", x + 8, y, Label(e, "CRASH"));
                    break;
                case TraceKind.Restart:
                    Mark(svg, "restart", row, e, $"<rect x=\"{x - 14:0.#}\" y=\"{y - 3:0.#}\" width=\"28\" height=\"6\" rx=\"2\"/>", x + 8, y, Label(e, "restart"));
                    break;
                case TraceKind.Pause:
                    Mark(svg, "pause", row, e, $"<rect x=\"{x - 12:0.#}\" y=\"{y - 3:0.#}\" width=\"24\" height=\"6\" rx=\"2\"/>", x + 6, y, Label(e, "pause"));
                    break;
                case TraceKind.Resume:
                    Mark(svg, "resume", row, e, $"<rect x=\"{x - 12:0.#}\" y=\"{y - 3:0.#}\" width=\"24\" height=\"6\" rx=\"2\"/>", x + 6, y, Label(e, "resume"));
                    break;
                default:
                    Mark(svg, "other", row, e, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\"/>", x, y, Label(e, e.Kind.ToString()));
                    break;
            }
        }

        svg.Append("</g>\n");
    }

    private static string Label(TraceEvent e, string kind) =>
        e.Detail is null ? kind : kind is "note" or "invoke" ? Truncate(e.Detail, 24) : $"{kind}: {Truncate(e.Detail, 20)}";

    private static void Open(StringBuilder svg, string style, int row, TraceEvent e, long message) =>
        svg.Append(Inv, $"<g class=\"mark {style}\" data-i=\"{row}\"{(message == 0 ? "" : " data-m=\"" + message.ToString(Inv) + "\"")}><title>{Esc(e.ToString())}</title>");

    /// <summary>How many characters of a send's label fit: about the distance to its receiver (at least a lane's spacing), never fewer than 26.</summary>
    private static int LabelChars(Geometry g, double from, double to) =>
        Math.Clamp((int)(Math.Max(g.Spacing, Math.Abs(to - from)) / 6.4), 26, TraceMessage.MaxLabel);

    private static void Mark(StringBuilder svg, string style, int row, TraceEvent e, FormattableString shape, double x, double y, string label)
    {
        Open(svg, style, row, e, 0);
        svg.Append(shape.ToString(Inv));
        svg.Append(Inv, $"<text x=\"{x + 10:0.#}\" y=\"{y + 4:0.#}\">{Esc(label)}</text></g>\n");
    }
}
