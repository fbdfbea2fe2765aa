using System.Diagnostics;
using System.Text.Json;

namespace PaxosLabs.Benchmarks;

/// <summary>One full hidden grade: the wall time of each stage's test runs (from score.json) and of the whole command.</summary>
internal sealed record GradeRun(IReadOnlyDictionary<int, double> StageSeconds, double CommandSeconds, int Total, int Max)
{
    public double TestSeconds => StageSeconds.Values.Sum();
}

/// <summary>Figure 5: the stages' wall times and their sum, median (min–max) over the runs.</summary>
internal sealed record GradeTiming(IReadOnlyDictionary<int, Spread> Stages, Spread TestSeconds, Spread CommandSeconds, int Runs, string Score);

/// <summary>
/// Figure 5: the wall time of a full hidden grade of all four stages of the solutions, build
/// excluded. The hidden tests are built first; then <c>grade solutions</c> runs as a TA runs it
/// (its build finds nothing to do), and each stage's wall time is read from the score.json it
/// writes (the grader measures its stages' test runs, reruns included).
/// </summary>
internal static class GradeWallTime
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(20);

    public static GradeTiming Run(string repo, Settings settings)
    {
        Dotnet(repo, ["build", "grader/PaxosLabs.HiddenTests", "-nologo", "-v:q"]);
        Dotnet(repo, ["build", "grader/PaxosLabs.Grader", "-nologo", "-v:q"]);
        var runs = new List<GradeRun>();
        var count = settings.Quick ? 1 : 3;
        for (var i = 0; i < count; i++)
        {
            var run = GradeOnce(repo);
            runs.Add(run);
            Console.WriteLine($"  grade {i + 1}/{count}: stages {string.Join(", ", run.StageSeconds.Select(s => $"{s.Key}: {s.Value:F1} s"))}; test runs {run.TestSeconds:F1} s, command {run.CommandSeconds:F1} s, score {run.Total} / {run.Max}");
        }

        return new GradeTiming(
            runs[0].StageSeconds.Keys.ToDictionary(stage => stage, stage => Spread.Of(runs.Select(r => r.StageSeconds[stage]))),
            Spread.Of(runs.Select(r => r.TestSeconds)),
            Spread.Of(runs.Select(r => r.CommandSeconds)),
            runs.Count,
            string.Join(", ", runs.Select(r => $"{r.Total} / {r.Max}").Distinct()));
    }

    private static GradeRun GradeOnce(string repo)
    {
        var outDirectory = Directory.CreateTempSubdirectory("paxoslabs-bench-grade-");
        try
        {
            var clock = Stopwatch.StartNew();
            Dotnet(repo, ["run", "--project", "grader/PaxosLabs.Grader", "--no-build", "--", "grade", "solutions", "--out", outDirectory.FullName]);
            var command = clock.Elapsed.TotalSeconds;
            using var score = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDirectory.FullName, "score.json")));
            var root = score.RootElement;
            var stages = root.GetProperty("stages").EnumerateArray()
                .ToDictionary(s => s.GetProperty("stage").GetInt32(), s => s.GetProperty("seconds").GetDouble());
            return new GradeRun(stages, command, root.GetProperty("total").GetInt32(), root.GetProperty("max").GetInt32());
        }
        finally
        {
            outDirectory.Delete(recursive: true);
        }
    }

    private static void Dotnet(string repo, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {Bound.TotalMinutes:0} min");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
        }
    }
}
