using System.Diagnostics;
using System.Globalization;

namespace PaxosLabs.Benchmarks;

/// <summary>
/// One timed run of a closed loop: how many calls finished, in how long, their latencies, and
/// what each call cost the whole process (client and servers): processor time, bytes allocated and
/// thread-pool work items (each one a hop from one thread's work to another's).
/// </summary>
/// <summary>How a warm-up went: its length and each slice's rate, for the run's log.</summary>
internal sealed record WarmUp(TimeSpan Elapsed, List<double> Rates)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"warmed up in {Elapsed.TotalSeconds:F0} s ({string.Join(", ", Rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} calls/s)");
}

internal sealed record LoopRun(long Calls, TimeSpan Elapsed, double P50Ms, double P90Ms, double P99Ms, double CpuUsPerCall, double BytesPerCall, double WorkItemsPerCall)
{
    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed-loop load generator: <c>inFlight</c> workers each issue a call, await it, and issue the
/// next, until the duration has passed. Every call's latency is recorded (timestamps only; the
/// buffers are allocated up front so the harness adds no garbage while it measures).
/// </summary>
internal static class ClosedLoop
{
    public static Task<LoopRun> RunAsync(Func<Task> call, int inFlight, TimeSpan duration) =>
        RunAsync([.. Enumerable.Repeat(call, inFlight)], duration);

    /// <summary>
    /// Runs the loop in slices until its rate has stopped rising: at least <see cref="Settings.Warmup"/>,
    /// then until a slice is no more than 5 % faster than the best slice before it, at most
    /// <see cref="Settings.WarmupLimit"/>. Returns how long it took and each slice's calls/s.
    /// </summary>
    public static async Task<WarmUp> WarmUpAsync(IReadOnlyList<Func<Task>> calls, Settings settings)
    {
        var started = Stopwatch.GetTimestamp();
        var rates = new List<double>();
        while (true)
        {
            var rate = (await RunAsync(calls, settings.WarmupSlice)).CallsPerSecond;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var steady = rates.Count > 0 && rate <= rates.Max() * 1.05;
            rates.Add(rate);
            if ((steady && elapsed >= settings.Warmup) || elapsed >= settings.WarmupLimit)
            {
                return new WarmUp(elapsed, rates);
            }
        }
    }

    /// <summary>
    /// The order in which the contenders run in repetition <paramref name="rep"/>: the permutations
    /// in turn, so over a full set each contender runs in every position and after every other one
    /// equally often (a fixed rotation would always run the same contender after the same one).
    /// </summary>
    public static IReadOnlyList<T> Order<T>(IReadOnlyList<T> items, int rep)
    {
        var permutations = Permutations([.. items]).ToList();
        return permutations[rep % permutations.Count];
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    /// <summary>One worker per entry of <paramref name="calls"/>, each with its own call (e.g. its own client).</summary>
    public static async Task<LoopRun> RunAsync(IReadOnlyList<Func<Task>> calls, TimeSpan duration)
    {
        var inFlight = calls.Count;
        var buffers = new long[inFlight][];
        var counts = new int[inFlight];
        for (var i = 0; i < inFlight; i++)
        {
            buffers[i] = new long[1 << 16];
        }

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: false);
        var itemsBefore = ThreadPool.CompletedWorkItemCount;
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task[inFlight];
        for (var w = 0; w < inFlight; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var buffer = buffers[worker];
                var call = calls[worker];
                var n = 0;
                while (true)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (t0 >= stopAt)
                    {
                        break;
                    }

                    await call();
                    var latency = Stopwatch.GetTimestamp() - t0;
                    if (n == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                        buffers[worker] = buffer;
                    }

                    buffer[n++] = latency;
                }

                counts[worker] = n;
            });
        }

        await Task.WhenAll(workers).WaitAsync(duration + TimeSpan.FromSeconds(60));
        var elapsed = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var bytes = GC.GetTotalAllocatedBytes(precise: false) - bytesBefore;
        var items = ThreadPool.CompletedWorkItemCount - itemsBefore;

        var total = counts.Sum();
        var all = new long[total];
        var at = 0;
        for (var w = 0; w < inFlight; w++)
        {
            Array.Copy(buffers[w], 0, all, at, counts[w]);
            at += counts[w];
        }

        Array.Sort(all);
        var perCall = Math.Max(total, 1);
        return new LoopRun(total, elapsed, ToMs(Percentile(all, 0.50)), ToMs(Percentile(all, 0.90)), ToMs(Percentile(all, 0.99)),
            cpu.TotalMicroseconds / perCall, (double)bytes / perCall, (double)items / perCall);
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Median and spread of repeated measurements, and a 95 % interval for the median: the order
/// statistics of ranks n/2 ∓ 0.98·√n (distribution-free; the normal approximation to the binomial),
/// so it assumes nothing about how the measurements are distributed, only that they are independent.
/// </summary>
internal readonly record struct Spread(double Median, double Min, double Max, double MedianLow, double MedianHigh)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var n = sorted.Length;
        var mid = n / 2;
        var median = n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        var rank = Math.Max(1, (int)Math.Floor(n / 2.0 - 0.98 * Math.Sqrt(n))); // 1-based
        return new Spread(median, sorted[0], sorted[^1], sorted[rank - 1], sorted[n - rank]);
    }
}
