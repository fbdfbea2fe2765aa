using System.Diagnostics;
using System.Globalization;
using System.Text;
using PaxosLabs.MultiPaxos;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// One run of figure 3: committed commands per bucket, when the leader was killed, when the new
/// leader first committed, and the longest time the clients saw no command complete.
/// </summary>
internal sealed record CrashRun(double[] CommandsPerSecond, double CrashAtS, double FirstCommitS, double LongestPauseS, double BeforePerS, double AfterPerS, long Commands)
{
    public double GapS => FirstCommitS - CrashAtS;
}

internal sealed record CrashResult(List<CrashRun> Runs, string SvgPath)
{
    public Spread Before => Spread.Of(Runs.Select(r => r.BeforePerS));

    public Spread Gap => Spread.Of(Runs.Select(r => r.GapS * 1000));

    public Spread Pause => Spread.Of(Runs.Select(r => r.LongestPauseS * 1000));

    public Spread After => Spread.Of(Runs.Select(r => r.AfterPerS));
}

/// <summary>
/// Figure 3: 3 replicas over gRPC (batching at its default), 16 closed-loop clients writing; at a
/// fixed time the leader's replica is killed (crash-stop: its host, detectors and replica are
/// gone). Every completed Put is timestamped; the plot shows commands/s per 100 ms bucket.
/// </summary>
internal static class LeaderCrash
{
    public const int Nodes = 3;
    public const int Clients = 16;
    public static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(100);
    private static readonly ReplicaOptions Defaults = new();

    public static async Task<CrashResult> RunAsync(Settings settings, string svgPath)
    {
        var runs = new List<CrashRun>();
        for (var rep = 0; rep < settings.CrashRepetitions; rep++)
        {
            var run = await RunOnceAsync(settings.CrashDuration, settings.CrashAt);
            Console.WriteLine($"  rep {rep + 1}/{settings.CrashRepetitions}: before {run.BeforePerS:F0}/s, crash at {run.CrashAtS:F2} s, new leader's first commit after {run.GapS * 1000:F0} ms, longest pause {run.LongestPauseS * 1000:F0} ms, after {run.AfterPerS:F0}/s");
            runs.Add(run);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svgPath))!);
        await File.WriteAllTextAsync(svgPath, Plot(runs[runs.Count / 2]));
        Console.WriteLine($"  wrote {svgPath}");
        return new CrashResult(runs, svgPath);
    }

    private static async Task<CrashRun> RunOnceAsync(TimeSpan duration, TimeSpan crashAt)
    {
        await using var cluster = await KvCluster.StartAsync(Nodes, Defaults.Alpha, Defaults.MaxBatch);
        var writers = Enumerable.Range(0, Clients).Select(cluster.Writer).ToList();
        var completions = new List<long>[Clients];
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, Clients).Select(w => Task.Run(async () =>
        {
            var done = completions[w] = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await writers[w]();
                done.Add(Stopwatch.GetTimestamp());
            }
        })).ToList();

        await Task.Delay(crashAt);
        var leader = cluster.LeaderReady ?? throw new InvalidOperationException("no stable leader to kill");
        var crash = Stopwatch.GetTimestamp();
        await cluster.KillAsync(leader);

        // The new leader's first commit: its adu grows after its phase 1 (polled every millisecond).
        await KvCluster.Until(() => cluster.LeaderReady is not null, "a new leader after the crash");
        var next = cluster.LeaderReady!.Replica;
        var adu = next.State.Adu;
        await KvCluster.Until(() => next.State.Adu > adu, "the new leader's first commit");
        var firstCommit = Stopwatch.GetTimestamp();

        await Task.WhenAll(workers).WaitAsync(duration + TimeSpan.FromSeconds(60));
        double S(long t) => (t - start) / (double)Stopwatch.Frequency;

        var times = completions.SelectMany(c => c).Order().Select(S).ToArray();
        var buckets = new double[(int)Math.Ceiling(duration / Bucket)];
        foreach (var t in times)
        {
            buckets[Math.Min((int)(t / Bucket.TotalSeconds), buckets.Length - 1)] += 1 / Bucket.TotalSeconds;
        }

        var crashS = S(crash);
        var firstS = S(firstCommit);
        var pause = times.Zip(times.Skip(1), (a, b) => (a, b)).Where(p => p.b >= crashS).Select(p => p.b - p.a).DefaultIfEmpty(0).Max();
        const double settle = 0.5; // skip the warm-up and the catching up right after the gap
        var before = Spread.Of(buckets.Where((_, i) => (i * Bucket.TotalSeconds) >= settle && (i + 1) * Bucket.TotalSeconds <= crashS)).Median;
        var after = Spread.Of(buckets.Where((_, i) => (i * Bucket.TotalSeconds) >= firstS + settle && (i + 1) * Bucket.TotalSeconds <= duration.TotalSeconds)).Median;
        return new CrashRun(buckets, crashS, firstS, pause, before, after, times.Length);
    }

    /// <summary>A self-contained SVG line plot: time on x, commands/s on y, markers at the crash and at the new leader's first commit.</summary>
    public static string Plot(CrashRun run)
    {
        const int width = 720, height = 320, left = 70, right = 20, top = 30, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var duration = run.CommandsPerSecond.Length * Bucket.TotalSeconds;
        var yMax = NiceCeiling(Math.Max(1, run.CommandsPerSecond.Max()));
        double X(double s) => left + (s / duration * plotW);
        double Y(double v) => top + plotH - (v / yMax * plotH);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"14\">Committed commands/s per {Bucket.TotalMilliseconds:0} ms, {Nodes} replicas, {Clients} clients; the leader is killed</text>\n");
        for (var i = 0; i <= 4; i++)
        {
            var v = yMax * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{N(Y(v))}\" x2=\"{width - right}\" y2=\"{N(Y(v))}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\">{v:N0}</text>\n");
        }

        for (var s = 0; s <= (int)duration; s++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(s))}\" y1=\"{top + plotH}\" x2=\"{N(X(s))}\" y2=\"{top + plotH + 4}\" stroke=\"black\"/><text x=\"{N(X(s))}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{s}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotH}\" x2=\"{width - right}\" y2=\"{top + plotH}\" stroke=\"black\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotW / 2)}\" y=\"{height - 10}\" text-anchor=\"middle\">time (s)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">commands/s</text>\n");
        var points = string.Join(" ", run.CommandsPerSecond.Select((v, i) => $"{N(X((i + 0.5) * Bucket.TotalSeconds))},{N(Y(v))}"));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n");
        Marker(run.CrashAtS, "#d62728", "leader killed", 0);
        Marker(run.FirstCommitS, "#2ca02c", $"new leader's first commit (+{run.GapS * 1000:0} ms)", 16);
        svg.Append("</svg>\n");
        return svg.ToString();

        void Marker(double s, string color, string label, int dy) =>
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(s))}\" y1=\"{top}\" x2=\"{N(X(s))}\" y2=\"{top + plotH}\" stroke=\"{color}\" stroke-dasharray=\"5 3\"/><text x=\"{N(X(s) + 4)}\" y=\"{top + 14 + dy}\" fill=\"{color}\">{label}</text>\n");
    }

    private static double NiceCeiling(double v)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(v)));
        return Math.Ceiling(v / step) * step;
    }
}
