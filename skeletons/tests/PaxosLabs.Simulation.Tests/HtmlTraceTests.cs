using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using PaxosLabs.Simulation;

namespace PaxosLabs.Simulation.Tests;

public class HtmlTraceTests
{
    private const string JsonOpen = "<script type=\"application/json\" id=\"trace-data\">";

    [Fact]
    public void The_whole_page_parses_as_xml_and_so_does_its_svg()
    {
        var html = HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info());

        var page = ParsePage(html);
        Assert.Equal("html", page.Root!.Name.LocalName);
        Assert.Single(page.Descendants("svg"), e => (string?)e.Attribute("id") == "diagram");

        var svg = XDocument.Parse(ExtractSvg(html));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.True(svg.Descendants().Count() > 50);
    }

    [Fact]
    public void There_is_one_lifeline_per_node_in_the_given_order_then_other_nodes_and_never_sim()
    {
        var events = HtmlTraceSamples.Small();
        events.Add(new TraceEvent(99, TimeSpan.FromMilliseconds(40), TraceKind.Send, "c", "proxy", "Read", 99));
        var svg = Svg(HtmlTrace.Render(events, HtmlTraceSamples.Info()));

        var lifelines = svg.Descendants("g").Where(e => Classes(e).Contains("lifeline")).ToList();
        Assert.Equal(["s0", "s1", "s2", "c", "proxy"], lifelines.Select(e => (string?)e.Attribute("data-node")));
        Assert.All(lifelines, l => Assert.NotEmpty(l.Elements("line")));
        Assert.Equal(["s0", "s1", "s2", "c", "proxy"], svg.Descendants("text").Where(e => Classes(e).Contains("lname")).Select(e => e.Value));
    }

    [Fact]
    public void Each_delivery_is_an_arrow_and_each_drop_ends_in_a_cross_with_its_reason()
    {
        var events = HtmlTraceSamples.Small();
        var svg = Svg(HtmlTrace.Render(events, HtmlTraceSamples.Info()));

        var arrows = svg.Descendants("g").Where(e => Classes(e).Contains("msg")).ToList();
        Assert.Equal(events.Count(e => e.Kind == TraceKind.Deliver), arrows.Count);
        Assert.All(arrows, a => Assert.StartsWith("url(#ah-", (string?)a.Elements().Single(x => x.Name.LocalName is "line" or "path").Attribute("marker-end"), StringComparison.Ordinal));

        // Replies are their own (dashed) style; the duplicated reply m5 arrives twice, the copy styled as such.
        Assert.Equal(events.Count(e => e.Kind == TraceKind.Deliver && e.IsReply), arrows.Count(a => Classes(a).Contains("rep")));
        var duplicated = arrows.Where(a => (string?)a.Attribute("data-m") == "5").ToList();
        Assert.Equal(2, duplicated.Count);
        Assert.Single(duplicated, a => Classes(a).Contains("copy"));

        var drops = svg.Descendants("g").Where(e => Classes(e).Contains("drop")).ToList();
        Assert.Equal(3, drops.Count);
        Assert.All(drops, d => Assert.Single(d.Elements("path"), p => Classes(p).Contains("x")));
        Assert.Equal(["lost", "partitioned", "receiver down"], drops.Select(d => d.Elements("text").Single().Value));

        // A message never delivered nor dropped is a stub, not an arrow.
        Assert.Single(svg.Descendants("g"), e => Classes(e).Contains("inflight") && (string?)e.Attribute("data-m") == "10");
    }

    [Fact]
    public void Arrows_go_from_the_send_row_on_the_sender_to_the_delivery_row_on_the_receiver()
    {
        var events = HtmlTraceSamples.Small();
        var svg = Svg(HtmlTrace.Render(events, HtmlTraceSamples.Info()));
        var x = svg.Descendants("g").Where(e => Classes(e).Contains("lifeline"))
            .ToDictionary(e => (string)e.Attribute("data-node")!, e => Num(e.Elements("line").First(), "x1"));
        var rowY = svg.Descendants("rect").Where(e => Classes(e).Contains("row"))
            .ToDictionary(e => int.Parse((string)e.Attribute("data-i")!, System.Globalization.CultureInfo.InvariantCulture), e => Num(e, "y") + (Num(e, "height") / 2));

        var sendRow = events.FindIndex(e => e.Kind == TraceKind.Send && e.MessageId == 2);
        var deliverRow = events.FindIndex(e => e.Kind == TraceKind.Deliver && e.MessageId == 2);
        var line = svg.Descendants("g").Single(e => Classes(e).Contains("msg") && (string?)e.Attribute("data-m") == "2").Element("line")!;
        Assert.Equal(rowY[sendRow], Num(line, "y1"), 0.5);
        Assert.Equal(rowY[deliverRow], Num(line, "y2"), 0.5);
        Assert.InRange(Num(line, "x1"), x["c"] - 4, x["c"] + 4);
        Assert.InRange(Num(line, "x2"), x["s1"] - 4, x["s1"] + 4);
        Assert.True(rowY[deliverRow] > rowY[sendRow], "time flows downward");
    }

    [Fact]
    public void Crashes_restarts_partitions_and_heals_are_drawn()
    {
        var svg = Svg(HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info()));

        var s0 = svg.Descendants("g").Single(e => Classes(e).Contains("lifeline") && (string?)e.Attribute("data-node") == "s0");
        Assert.Equal(["up", "down", "up"], s0.Elements("line").Select(l => Classes(l).Last()));
        var s2 = svg.Descendants("g").Single(e => Classes(e).Contains("lifeline") && (string?)e.Attribute("data-node") == "s2");
        Assert.Equal(["up", "paused", "up"], s2.Elements("line").Select(l => Classes(l).Last()));

        Assert.Single(svg.Descendants("g"), e => Classes(e).Contains("crash"));
        Assert.Single(svg.Descendants("g"), e => Classes(e).Contains("restart"));
        Assert.Single(svg.Descendants("g"), e => Classes(e).Contains("timer"));
        Assert.Single(svg.Descendants("g"), e => Classes(e).Contains("invoke") && e.Value.Contains("write v1 then read", StringComparison.Ordinal));
        var bands = svg.Descendants("g").Where(e => Classes(e).Contains("band")).ToList();
        Assert.Contains(bands, b => Classes(b).Contains("partition") && b.Element("text")!.Value.Contains("{c} <-> {s1}", StringComparison.Ordinal));
        Assert.Contains(bands, b => Classes(b).Contains("heal"));
        Assert.Contains(bands, b => Classes(b).Contains("note") && b.Element("text")!.Value.Contains("crash s0", StringComparison.Ordinal));
    }

    [Fact]
    public void Labels_are_short_and_their_tooltip_holds_the_whole_event()
    {
        var longName = "AcceptWithAVeryLongMethodNameIndeedThatGoesOnAndOnAndOnMuchLongerThanAnyArrowAndStillGoing";
        var events = new List<TraceEvent>
        {
            new(1, TimeSpan.Zero, TraceKind.Send, "a", "b", longName, 1),
            new(2, TimeSpan.FromMilliseconds(1), TraceKind.Deliver, "b", "a", longName, 1),
        };
        var svg = Svg(HtmlTrace.Render(events, new HtmlTraceInfo("t", 1, "replay", null, ["a", "b"])));

        var send = svg.Descendants("g").Single(e => Classes(e).Contains("send"));
        var label = send.Element("text")!.Value;
        Assert.True(label.Length <= TraceMessage.MaxLabel, label);
        Assert.EndsWith("\u2026", label, StringComparison.Ordinal);
        Assert.StartsWith(label.TrimEnd('\u2026'), longName, StringComparison.Ordinal);
        Assert.Equal(events[0].ToString(), send.Element("title")!.Value);
    }

    [Fact]
    public void A_message_is_labelled_with_its_fields_on_its_arrow_and_in_the_list_which_also_holds_all_of_it()
    {
        var value = "a value far too long for any arrow: " + new string('z', 100);
        var write = HtmlTraceSamples.Storage("Write", new PaxosLabs.Storage.State { Value = value, Timestamp = 7 });
        var events = new List<TraceEvent>
        {
            new(1, TimeSpan.Zero, TraceKind.Send, "c", "s0", "Write", 1) { Message = write },
            new(2, TimeSpan.FromMilliseconds(1), TraceKind.Deliver, "s0", "c", "Write", 1) { Message = write },
        };
        Assert.Equal("Write ts=7 \"a value far too\u2026\"", write.Label);
        Assert.Equal("#1 0ms Send c -> s0 Write ts=7 \"a value far too\u2026\" m1", events[0].ToString());

        var html = HtmlTrace.Render(events, new HtmlTraceInfo("t", 1, "replay", null, ["s0", "c"]));
        var send = Svg(html).Descendants("g").Single(e => Classes(e).Contains("send"));
        Assert.Equal(write.Label, send.Element("text")!.Value);
        var item = ParsePage(html).Descendants("div").Single(e => (string?)e.Attribute("id") == "e0");
        Assert.Equal(events[0].ToString(), item.Elements("span").Single(e => Classes(e).Contains("tx")).Value);
        var whole = item.Elements("div").Single(e => Classes(e).Contains("pl")).Value;
        Assert.Contains(value, whole, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\": \"7\"", whole, StringComparison.Ordinal);

        // The delivery refers to the send by the message's id; the content is listed once.
        Assert.DoesNotContain(ParsePage(html).Descendants("div").Single(e => (string?)e.Attribute("id") == "e1").Elements("div"), e => Classes(e).Contains("pl"));
    }

    [Fact]
    public void The_header_shows_the_seed_the_replay_command_the_failure_and_the_counts()
    {
        var html = HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info());
        var page = ParsePage(html);

        var code = page.Descendants("code").Single(e => (string?)e.Attribute("id") == "replay");
        Assert.Equal(HtmlTraceSamples.Replay, code.Value);
        Assert.Contains(page.Descendants("span"), e => Classes(e).Contains("seed") && e.Value.Contains("4242", StringComparison.Ordinal));
        Assert.Contains("read returned ts=0 after a write", page.Descendants("div").Single(e => (string?)e.Attribute("id") == "failure").Value, StringComparison.Ordinal);
        var facts = string.Join(" | ", page.Descendants("span").Where(e => Classes(e).Contains("fact")).Select(e => e.Value));
        Assert.Contains("events 31", facts, StringComparison.Ordinal);
        Assert.Contains("messages 10", facts, StringComparison.Ordinal);
        Assert.Contains("drops 3", facts, StringComparison.Ordinal);
        Assert.Contains("duplicates 1", facts, StringComparison.Ordinal);
        Assert.Contains("crashes 1", facts, StringComparison.Ordinal);
        Assert.Contains("0 ms \u2013 30 ms", facts, StringComparison.Ordinal);

        var passing = ParsePage(HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info(failure: null)));
        Assert.DoesNotContain(passing.Descendants("div"), e => (string?)e.Attribute("id") == "failure");
    }

    [Fact]
    public void Hostile_text_is_escaped_in_the_markup_and_in_the_embedded_json()
    {
        const string state = "</script><script>alert('x')</script> & \"quoted\" <b>bold</b> ]]> \u00e9\u2713";
        const string detail = "a < b && c > d </SCRIPT> <!-- x";
        var events = new List<TraceEvent>
        {
            new(1, TimeSpan.Zero, TraceKind.Note, "n<1>", Detail: detail) { State = state },
            new(2, TimeSpan.FromMilliseconds(1), TraceKind.Send, "n<1>", "m&2", "Do</script>", 1) { State = state + " 2" },
            new(3, TimeSpan.FromMilliseconds(2), TraceKind.Deliver, "m&2", "n<1>", "Do</script>", 1, Detail: detail),
        };
        var info = new HtmlTraceInfo("<title> & </script>", 7, "echo \"</script>\" && rm -rf <x>", "fail: </script> & <b>", ["n<1>"]);
        var html = HtmlTrace.Render(events, info);

        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!-- x", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count); // the data's and the code's

        var json = ExtractJson(html);
        Assert.DoesNotContain('<', json);
        Assert.DoesNotContain('>', json);
        Assert.DoesNotContain('&', json);
        using var data = JsonDocument.Parse(json);
        var rows = data.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(state, rows[0][9].GetString());
        Assert.Equal(detail, rows[0][8].GetString());
        Assert.Equal("Do</script>", rows[1][5].GetString());
        Assert.Equal(events[2].ToString(), rows[2][10].GetString());
        Assert.Equal(["n<1>", "m&2"], data.RootElement.GetProperty("nodes").EnumerateArray().Select(e => e.GetString()));

        // The markup holds the very text, decoded by an XML parser.
        var page = ParsePage(html);
        Assert.Equal(info.Title, page.Descendants("title").First().Value);
        Assert.Equal(info.ReplayCommand, page.Descendants("code").Single().Value);
        Assert.Contains(page.Descendants("div"), e => Classes(e).Contains("st") && e.Value.Contains(state, StringComparison.Ordinal));
        Assert.Contains(page.Descendants("g"), e => (string?)e.Attribute("data-node") == "m&2");
    }

    [Fact]
    public void Characters_xml_cannot_hold_do_not_break_the_page()
    {
        var events = new List<TraceEvent>
        {
            new(1, TimeSpan.Zero, TraceKind.Note, "a", Detail: "bell\u0007 nul\0 lone\ud800 pair\ud83d\ude00 end") { State = "x\u001by" },
        };
        var html = HtmlTrace.Render(events, new HtmlTraceInfo("t", 1, "r", null, ["a"]));
        var page = ParsePage(html);
        Assert.Contains(page.Descendants("span"), e => e.Value.Contains("pair\ud83d\ude00 end", StringComparison.Ordinal));
        using var data = JsonDocument.Parse(ExtractJson(html));
        Assert.Equal("x\u001by", data.RootElement.GetProperty("events")[0][9].GetString());
    }

    [Fact]
    public void The_page_references_nothing_outside_itself()
    {
        var html = HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info());

        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@font-face", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fetch(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("XMLHttpRequest", html, StringComparison.Ordinal);
        Assert.Empty(Regex.Matches(html, @"url\(\s*(?!#)", RegexOptions.IgnoreCase));
        Assert.Empty(Regex.Matches(html, @"href=""(?!#)", RegexOptions.IgnoreCase));
    }

    [Fact]
    public void Every_event_is_in_the_plain_list_with_an_anchor_the_diagram_links_to()
    {
        var events = HtmlTraceSamples.Small();
        var page = ParsePage(HtmlTrace.Render(events, HtmlTraceSamples.Info()));

        var items = page.Descendants("div").Where(e => Classes(e).Contains("ev")).ToList();
        Assert.Equal(events.Count, items.Count);
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal($"e{i}", (string?)items[i].Attribute("id"));
            Assert.Equal(events[i].ToString(), items[i].Elements("span").Single().Value);
        }

        var ids = items.Select(e => (string)e.Attribute("id")!).ToHashSet();
        var links = page.Descendants("a").Select(a => (string?)a.Attribute("href")).OfType<string>().ToList();
        Assert.NotEmpty(links);
        Assert.All(links, href => Assert.Contains(href[1..], ids));

        // The side panel without scripts: each node's last known state.
        var panel = page.Descendants("table").Single(e => (string?)e.Attribute("id") == "p-nodes");
        Assert.Contains(panel.Descendants("tr"), tr => tr.Element("th")!.Value == "s2" && tr.Value.Contains("ts=0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_huge_trace_is_capped_with_a_note()
    {
        var events = HtmlTraceSamples.Huge(60_000);
        var html = HtmlTrace.Render(events, new HtmlTraceInfo("huge", 3, "replay", "boom", ["a", "b"]));

        Assert.Contains($"Showing first {HtmlTrace.MaxDiagramRows} of 60000 events", html, StringComparison.Ordinal);
        Assert.Contains($"Listing the first {HtmlTrace.MaxListedEvents} of 60000 events", html, StringComparison.Ordinal);
        var page = ParsePage(html);
        var svg = page.Descendants("svg").Single(e => (string?)e.Attribute("id") == "diagram");
        Assert.Equal(HtmlTrace.MaxDiagramRows, svg.Descendants("rect").Count(e => Classes(e).Contains("row")));
        Assert.Equal(HtmlTrace.MaxDiagramRows / 2, svg.Descendants("g").Count(e => Classes(e).Contains("msg")));
        Assert.Equal(HtmlTrace.MaxListedEvents, page.Descendants("div").Count(e => Classes(e).Contains("ev")));
        using var data = JsonDocument.Parse(ExtractJson(html));
        Assert.Equal(HtmlTrace.MaxListedEvents, data.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(60_000, data.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public void A_trace_that_fits_has_no_cap_note_and_an_empty_trace_still_renders()
    {
        Assert.DoesNotContain("Showing first", HtmlTrace.Render(HtmlTraceSamples.Small(), HtmlTraceSamples.Info()), StringComparison.Ordinal);

        var empty = HtmlTrace.Render([], new HtmlTraceInfo("empty", 0, "replay", null, ["a", "b"]));
        var page = ParsePage(empty);
        Assert.Equal(2, page.Descendants("g").Count(e => Classes(e).Contains("lifeline")));
        Assert.Contains("The trace has no events.", empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_creates_the_folders_and_returns_the_full_path()
    {
        var root = Path.Combine(Path.GetTempPath(), "paxoslabs-htmltrace-" + Guid.NewGuid().ToString("N"));
        try
        {
            var events = HtmlTraceSamples.Small();
            var path = HtmlTrace.Write(Path.Combine(root, "a", "b", "seed-4242.html"), events, HtmlTraceSamples.Info());
            Assert.True(Path.IsPathFullyQualified(path));
            Assert.Equal(Path.Combine(root, "a", "b", "seed-4242.html"), path);
            Assert.Equal(HtmlTrace.Render(events, HtmlTraceSamples.Info()), File.ReadAllText(path));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public void A_real_run_renders_every_delivery_and_drop()
    {
        var world = new StorageWorld(21, FaultProfile.Lossy with { DropRate = 0.2, DuplicateRate = 0.2 });
        world.Sim.At(TimeSpan.FromMilliseconds(40), "crash s2", () => world.Sim.Crash("s2"));
        world.Sim.At(TimeSpan.FromMilliseconds(60), "partition c from s0", () => world.Sim.Partition(["c"], ["s0"]));
        world.Sim.At(TimeSpan.FromMilliseconds(400), "restart s2", () => world.Sim.Restart("s2"));
        world.Sim.At(TimeSpan.FromMilliseconds(500), "heal", world.Sim.Heal);
        var read = world.WriteThenRead(8);
        world.Sim.RunUntil(() => read.IsCompleted, 200_000);
        var events = world.Sim.Trace.Events;
        Assert.InRange(events.Count, 1, HtmlTrace.MaxDiagramRows);

        var html = HtmlTrace.Render(events, new HtmlTraceInfo("real run", 21, "PAXOSLABS_SEED=21 dotnet test", null, ["s0", "s1", "s2", "c"]));
        var svg = ParsePage(html).Descendants("svg").Single(e => (string?)e.Attribute("id") == "diagram");
        Assert.Equal(4, svg.Descendants("g").Count(e => Classes(e).Contains("lifeline")));
        Assert.Equal(events.Count(e => e.Kind == TraceKind.Deliver), svg.Descendants("g").Count(e => Classes(e).Contains("msg")));
        Assert.Equal(events.Count(e => e.Kind == TraceKind.Drop), svg.Descendants("g").Count(e => Classes(e).Contains("drop")));
        Assert.Contains(events, e => e.Kind == TraceKind.Crash);
        Assert.Contains(events, e => e.Detail == "partitioned");

        var path = HtmlTrace.Write(Path.Combine(Path.GetTempPath(), "paxoslabs-traces", "real-run-seed-21.html"), events,
            new HtmlTraceInfo("StorageWorld under a lossy network, a crash and a partition, seed 21", 21,
                "PAXOSLABS_SEED=21 dotnet test --filter \"FullyQualifiedName~A_real_run\"", null, ["s0", "s1", "s2", "c"]));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Writes_the_sample_page_to_the_temp_folder_for_the_render_check()
    {
        var path = HtmlTrace.Write(Path.Combine(Path.GetTempPath(), "paxoslabs-traces", "sample.html"), HtmlTraceSamples.Small(), HtmlTraceSamples.Info());
        Assert.True(new FileInfo(path).Length > 10_000);
    }

    private static XDocument ParsePage(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    private static XElement Svg(string html) => XDocument.Parse(ExtractSvg(html)).Root!;

    private static string ExtractSvg(string html)
    {
        var match = Regex.Match(html, "<svg id=\"diagram\".*?</svg>", RegexOptions.Singleline);
        Assert.True(match.Success, "the page has no diagram");
        return match.Value;
    }

    private static string ExtractJson(string html)
    {
        var start = html.IndexOf(JsonOpen, StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has no embedded data");
        start += JsonOpen.Length;
        var end = html.IndexOf("</script>", start, StringComparison.OrdinalIgnoreCase);
        return html[start..end];
    }

    private static string[] Classes(XElement e) => ((string?)e.Attribute("class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double Num(XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);
}
