using System.Globalization;
using System.Text;
using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.NetFault.Tests;

/// <summary>
/// The long run's report: docs/network-faults-report.md (verdict, numbers, faults by kind, the
/// timeline, a history excerpt), docs/figures/network-faults-throughput.svg (completed operations
/// per second with the faults shaded), and the whole history as text under artifacts/netfault/
/// (too big to commit).
/// </summary>
internal static class NetFaultReport
{
    public const string Command = "PAXOSLABS_NETFAULT_MINUTES=30 dotnet test grader/PaxosLabs.NetFault.Tests --filter \"FullyQualifiedName~Long_run\" --logger \"console;verbosity=detailed\"";

    private static readonly Dictionary<string, string> Colors = new(StringComparer.Ordinal)
    {
        ["netem"] = "#aec7e8", ["isolate"] = "#d62728", ["split"] = "#ff7f0e", ["one-way"] = "#e377c2", ["client-cut"] = "#bcbd22", ["slow"] = "#17becf",
        ["resets"] = "#9467bd", ["link-down"] = "#8c564b", ["pause"] = "#7f7f7f", ["kill"] = "#2ca02c", ["kill-all"] = "#1f3f1f",
    };

    private static string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);

    public static List<string> Write(FaultRunResult result, string root)
    {
        var page = Path.Combine(root, "docs", "network-faults-report.md");
        var figure = Path.Combine(root, "docs", "figures", "network-faults-throughput.svg");
        var history = Path.Combine(root, "artifacts", "netfault", string.Create(CultureInfo.InvariantCulture, $"history-{result.Settings.Seed}.txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(figure)!);
        Directory.CreateDirectory(Path.GetDirectoryName(history)!);
        var perSecond = PerSecond(result);
        File.WriteAllText(figure, Plot(result, perSecond));
        File.WriteAllLines(history, result.Ops.OrderBy(o => o.Invoke).Select(o => o.Show(result.History)));
        File.WriteAllText(page, Page(result, perSecond, Path.GetRelativePath(root, history)));
        return [page, figure, history];
    }

    /// <summary>Completed and unknown operations per second of the run, by their return (or invoke, for unknown ones).</summary>
    private static (int[] Ok, int[] Unknown) PerSecond(FaultRunResult result)
    {
        var end = result.Ops.Max(o => result.History.Seconds(o.Ok ? o.Return : o.Invoke));
        var ok = new int[(int)end + 1];
        var unknown = new int[(int)end + 1];
        foreach (var op in result.Ops)
        {
            if (op.Ok)
            {
                ok[(int)result.History.Seconds(op.Return)]++;
            }
            else
            {
                unknown[(int)result.History.Seconds(op.Invoke)]++;
            }
        }

        return (ok, unknown);
    }

    private static string Page(FaultRunResult r, (int[] Ok, int[] Unknown) perSecond, string historyPath)
    {
        var s = new StringBuilder();
        var minutes = r.Settings.Faults.TotalMinutes;
        s.AppendLine("# Network faults: report of a long run");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Written by the long network fault test (see [network-faults.md](network-faults.md)) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {F(minutes)} minutes of faults, with:");
        s.AppendLine();
        s.AppendLine("```sh");
        s.AppendLine(CultureInfo.InvariantCulture, $"PAXOSLABS_NETFAULT_SEED={r.Settings.Seed} {Command.Replace("=30 ", $"={F(minutes, "0.#")} ", StringComparison.Ordinal)}");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version}; 3 replica processes (`replica --data-dir`, delta 200 ms), {r.Settings.Clients} clients (deadline {F(r.Settings.Deadline.TotalSeconds, "0")} s per operation) in one test process, all on this machine.");
        s.AppendLine();
        s.AppendLine("## Verdict");
        s.AppendLine();
        s.AppendLine("| check | result |");
        s.AppendLine("| --- | --- |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| **outcome** | **{(r.Passed ? "pass" : "FAIL")}** |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| linearizability (Wing–Gong–Lowe, per key; inconclusive fails) | {r.Linearizability.Verdict}: {r.Linearizability.Explanation} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| acknowledged appends missing from the final read, doubled, or never invoked | {r.LostWrites.Count} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| replica processes that failed on their own, or printed an error | {r.Problems.Count} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| operations | {r.Ops.Count} ({r.Acknowledged} completed, {r.Unknown} unknown: timed out, so they may or may not have run) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| of them appends / reads | {r.Ops.Count(o => o.Kind == KvOpKind.Append)} / {r.Ops.Count(o => o.Kind == KvOpKind.Get)} on {r.Ops.Select(o => o.Key).Distinct().Count()} keys |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| faults | {r.Timeline.Count} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| first completed operation after the final heal | {(r.FirstOkAfterHeal is { } recovered ? $"{F(recovered, "0.00")} s" : "none")} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| checker time | {F(r.CheckTime.TotalSeconds, "0.0")} s |");
        foreach (var problem in r.LostWrites.Concat(r.Problems).Take(20))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| problem | {problem.Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        s.AppendLine();
        s.AppendLine("## Faults injected");
        s.AppendLine();
        s.AppendLine("| fault | weight | what it does |");
        s.AppendLine("| --- | --- | --- |");
        r.Kinds.ForEach(k => s.AppendLine(CultureInfo.InvariantCulture, $"| {k.Kind} | {k.Weight} | {k.Meaning} |"));
        s.AppendLine();
        s.AppendLine("One fault at a time, drawn from the seeded PRNG: its kind by weight, its target (the leader half of the time), its length (1.5–5 s), then a calm spell of 1–3 s.");
        s.AppendLine();
        foreach (var line in r.NotInjected)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"**Not injected on this machine:** {line}.");
            s.AppendLine();
        }

        s.AppendLine("## Throughput over time");
        s.AppendLine();
        s.AppendLine("![completed operations per second, faults shaded](figures/network-faults-throughput.svg)");
        s.AppendLine();
        var calm = Seconds(r, perSecond.Ok.Length).Where(t => !r.Timeline.Any(f => t + 1 > f.Start && t < (f.End ?? double.MaxValue))).ToList();
        s.AppendLine(CultureInfo.InvariantCulture, $"Completed operations per second, median over the whole seconds of each state (calm: no fault at any moment of that second). Calm: {Median(calm.Select(t => perSecond.Ok[t]))} ops/s over {calm.Count} s.");
        s.AppendLine();
        s.AppendLine("| fault | times | total s | median ops/s during it | unknown operations invoked during it |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var group in r.Timeline.GroupBy(f => f.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var inside = Seconds(r, perSecond.Ok.Length).Where(t => group.Any(f => t >= f.Start && t + 1 <= (f.End ?? double.MaxValue))).ToList();
            var unknown = r.Ops.Count(o => !o.Ok && group.Any(f => r.History.Seconds(o.Invoke) >= f.Start && r.History.Seconds(o.Invoke) < (f.End ?? double.MaxValue)));
            s.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {F(group.Sum(f => (f.End ?? f.Start) - f.Start))} | {(inside.Count == 0 ? "–" : Median(inside.Select(t => perSecond.Ok[t])).ToString(CultureInfo.InvariantCulture))} | {unknown} |");
        }

        s.AppendLine();
        s.AppendLine("## Faults timeline");
        s.AppendLine();
        s.AppendLine("<details><summary>every fault, from its start to its heal (seconds of the run)</summary>");
        s.AppendLine();
        s.AppendLine("```text");
        r.Timeline.ForEach(f => s.AppendLine(f.Show()));
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine("</details>");
        s.AppendLine();
        s.AppendLine("## History");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"The whole history ({r.Ops.Count} operations) was written to `{historyPath}` (not committed: too big). Below, the operations around the first fault that killed every replica (or the first fault), then the final reads. `[invoke .. return]` in seconds of the run; `?`: never returned.");
        s.AppendLine();
        var first = r.Timeline.FirstOrDefault(f => f.Kind == "kill-all") ?? r.Timeline.FirstOrDefault();
        s.AppendLine("```text");
        if (first is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"-- {first.Show()}");
            var startTicks = (long)(first.Start * System.Diagnostics.Stopwatch.Frequency);
            var ordered = r.Ops.OrderBy(o => o.Invoke).ToList();
            var at = ordered.FindIndex(o => o.Invoke >= startTicks);
            foreach (var op in ordered.Skip(Math.Max(0, at - 10)).Take(40))
            {
                s.AppendLine(op.Show(r.History));
            }
        }

        s.AppendLine("-- final reads");
        var reader = r.Ops.Max(o => o.Process);
        var finals = r.Ops.Where(o => o.Process == reader && o.Kind == KvOpKind.Get).TakeLast(12);
        foreach (var op in finals)
        {
            s.AppendLine(op.Show(r.History));
        }

        s.AppendLine("```");
        return s.ToString();
    }

    private static IEnumerable<int> Seconds(FaultRunResult r, int count) => Enumerable.Range(0, Math.Min(count, (int)Math.Ceiling(r.History.Seconds(r.Ops.Max(o => o.Invoke)))));

    private static int Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    /// <summary>A self-contained SVG: completed operations per second on y, time on x, each fault a shaded band colored by kind.</summary>
    private static string Plot(FaultRunResult r, (int[] Ok, int[] Unknown) perSecond)
    {
        const int width = 960, height = 360, left = 70, right = 20, top = 30, bottom = 80;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double duration = Math.Max(1, perSecond.Ok.Length);
        var yMax = NiceCeiling(Math.Max(1, perSecond.Ok.Max()));
        double X(double t) => left + (t / duration * plotW);
        double Y(double v) => top + plotH - (v / yMax * plotH);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"14\">Completed operations/s, 3 replica processes in network namespaces, {r.Settings.Clients} clients; faults shaded (seed {r.Settings.Seed})</text>\n");
        foreach (var fault in r.Timeline)
        {
            var end = fault.End ?? duration;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(X(fault.Start))}\" y=\"{top}\" width=\"{N(Math.Max(1, X(end) - X(fault.Start)))}\" height=\"{plotH}\" fill=\"{Colors[fault.Kind]}\" fill-opacity=\"0.25\"><title>{fault.Kind} {fault.What}</title></rect>\n");
        }

        for (var i = 0; i <= 4; i++)
        {
            var v = yMax * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{N(Y(v))}\" x2=\"{width - right}\" y2=\"{N(Y(v))}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\">{v:N0}</text>\n");
        }

        var step = NiceCeiling(duration / 10);
        for (double t = 0; t <= duration; t += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(t))}\" y1=\"{top + plotH}\" x2=\"{N(X(t))}\" y2=\"{top + plotH + 4}\" stroke=\"black\"/><text x=\"{N(X(t))}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{t:0}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{width - right}\" y2=\"{top + plotH}\" stroke=\"black\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotW / 2)}\" y=\"{top + plotH + 34}\" text-anchor=\"middle\">time (s)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">operations/s</text>\n");
        var points = string.Join(" ", perSecond.Ok.Select((v, i) => $"{N(X(i + 0.5))},{N(Y(v))}"));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n");
        var x = (double)left;
        foreach (var kind in Colors.Keys.Where(k => r.Timeline.Any(f => f.Kind == k)))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{height - 26}\" width=\"12\" height=\"12\" fill=\"{Colors[kind]}\" fill-opacity=\"0.5\"/><text x=\"{N(x + 16)}\" y=\"{height - 16}\">{kind}</text>\n");
            x += 26 + (kind.Length * 7);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double NiceCeiling(double v)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(v)));
        return Math.Ceiling(v / step) * step;
    }
}
