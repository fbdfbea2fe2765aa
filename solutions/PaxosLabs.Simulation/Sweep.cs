using System.Globalization;

namespace PaxosLabs.Simulation;

/// <summary>What one simulated run ended with: the simulator (its trace) and the failure, if any.</summary>
public sealed record SimulationOutcome(Simulator Simulator, string? Failure);

/// <summary>Builds and runs one simulation from its options (seed, faults, suppressed faults).</summary>
public delegate SimulationOutcome Scenario(SimulationOptions options);

/// <summary>A run that failed, told so that a student can replay it, read it and see it.</summary>
public sealed class SimulationFailedException(string message) : Exception(message);

/// <summary>
/// Runs a scenario over many seeds. On the first failing seed it minimizes the run (drops the
/// injected faults that the failure does not need), writes the HTML trace, and throws with the
/// seed, the command that replays exactly that run and the trace's path.
/// Set the environment variable <c>PAXOSLABS_SEED</c> to run a single seed, and
/// <c>PAXOSLABS_SEEDS</c> to run another number of seeds (<see cref="SeedCount"/>).
/// </summary>
public static class Sweep
{
    public const string SeedVariable = "PAXOSLABS_SEED";

    public const string SeedCountVariable = "PAXOSLABS_SEEDS";

    /// <summary>Progress is reported at each tenth of the seeds, at most this often, and at the end of a sweep that took at least this long.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How many seeds a sweep of <paramref name="seeds"/> seeds runs: <paramref name="setting"/>
    /// (by default the variable <c>PAXOSLABS_SEEDS</c>) when it is a positive number, e.g. the
    /// graded count, else <paramref name="seeds"/>.
    /// </summary>
    public static int SeedCount(int seeds, string? setting = null) =>
        int.TryParse(setting ?? Environment.GetEnvironmentVariable(SeedCountVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : seeds;

    /// <param name="testName">The test's name, for the replay command's filter.</param>
    /// <param name="testProject">The test project's path, for the replay command.</param>
    /// <param name="nodes">The nodes to draw, in order.</param>
    /// <param name="progress">Told how far the sweep is: at each tenth of the seeds (never within <see cref="ProgressInterval"/> of the last report), at the end, and at a failure.</param>
    /// <param name="sweepName">Names the sweep in the progress reports (default: <paramref name="testName"/>).</param>
    /// <param name="time">The wall clock for the progress reports (default: the system's).</param>
    public static void Run(string testName, string testProject, IEnumerable<long> seeds, FaultProfile faults, Scenario scenario, IReadOnlyList<string> nodes,
        IProgress<SweepProgress>? progress = null, string? sweepName = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var only = Environment.GetEnvironmentVariable(SeedVariable);
        List<long> chosen = long.TryParse(only, NumberStyles.Integer, CultureInfo.InvariantCulture, out var single) ? [single] : [.. seeds];
        var clock = time ?? TimeProvider.System;
        var started = clock.GetTimestamp();
        var lastReport = started;
        var lastTenth = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            var options = new SimulationOptions { Seed = chosen[i], Faults = faults };
            var outcome = scenario(options);
            var done = i + 1;
            if (outcome.Failure is not null)
            {
                progress?.Report(new SweepProgress(sweepName ?? testName, done, chosen.Count, 1, clock.GetElapsedTime(started), chosen[i]));
                Fail(testName, testProject, options, outcome, scenario, nodes);
            }

            var tenth = done * 10 / chosen.Count;
            var due = done == chosen.Count
                ? clock.GetElapsedTime(started) >= ProgressInterval
                : tenth > lastTenth && clock.GetElapsedTime(lastReport) >= ProgressInterval;
            if (progress is not null && due)
            {
                progress.Report(new SweepProgress(sweepName ?? testName, done, chosen.Count, 0, clock.GetElapsedTime(started)));
                lastReport = clock.GetTimestamp();
                lastTenth = tenth;
            }
        }
    }

    private static void Fail(string testName, string testProject, SimulationOptions options, SimulationOutcome original, Scenario scenario, IReadOnlyList<string> nodes)
    {
        var minimal = Minimizer.Minimize(options, original, scenario);
        var shown = scenario(minimal with { CaptureStates = true });
        if (shown.Failure is null)
        {
            shown = scenario(options with { CaptureStates = true }); // a flake of the minimizer's own making: show the original
        }

        var replay = ReplayCommand(testName, testProject, options.Seed);
        var events = shown.Simulator.Trace.Events;
        var path = HtmlTrace.Write(TracePath(testName, options.Seed), events,
            new HtmlTraceInfo($"{testName}, seed {options.Seed}", options.Seed, replay, shown.Failure, nodes));
        throw new SimulationFailedException(new SweepFailure(
            original.Failure!, options.Seed, original.Simulator.Now, original.Simulator.Steps, original.Simulator.Trace.Statistics(), replay,
            events.Count, original.Simulator.Trace.Events.Count, shown.Simulator.FaultsKept, original.Simulator.FaultsKept, path).ToString());
    }

    /// <summary>The command that replays exactly one seed of a sweep's visible test, from the repository root.</summary>
    public static string ReplayCommand(string testName, string testProject, long seed) =>
        $"{SeedVariable}={seed} dotnet test {testProject} --filter \"FullyQualifiedName~{testName}\"";

    /// <summary>artifacts/traces/&lt;test&gt;/seed-N.html under the repository (or the temp folder outside one).</summary>
    public static string TracePath(string testName, long seed)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !directory.EnumerateFiles("*.sln").Any())
        {
            directory = directory.Parent;
        }

        var root = directory is null ? Path.Combine(Path.GetTempPath(), "paxoslabs") : Path.Combine(directory.FullName, "artifacts");
        var safe = string.Concat(testName.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return Path.Combine(root, "traces", safe, $"seed-{seed}.html");
    }
}

/// <summary>
/// What a failed sweep tells the student: the rule that broke, the seed and its run, how to replay
/// it, how far the minimizer shortened it, and where the space-time diagram is. The assignment texts
/// show it (their example is checked against this format).
/// </summary>
public sealed record SweepFailure(
    string Failure, long Seed, TimeSpan VirtualTime, long Steps, TraceStatistics Statistics, string Replay,
    int MinimizedEvents, int Events, long MinimizedFaults, long Faults, string TracePath)
{
    public override string ToString() =>
        $"{Failure}{Environment.NewLine}" +
        $"  seed: {Seed} (virtual time {VirtualTime.TotalMilliseconds:0} ms, {Steps} steps; {Statistics}){Environment.NewLine}" +
        $"  replay exactly this run: {Replay}{Environment.NewLine}" +
        $"  minimized trace: {MinimizedEvents} of {Events} events, {MinimizedFaults} of {Faults} injected faults kept{Environment.NewLine}" +
        $"  space-time diagram: {TracePath}";
}
