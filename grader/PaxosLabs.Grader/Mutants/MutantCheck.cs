using System.Diagnostics;

namespace PaxosLabs.Grader.Mutants;

/// <summary><c>verify --mutants</c>: selects mutants, grades them, prints and saves the kill matrix.</summary>
public static class MutantCheck
{
    /// <returns>0 when every selected mutant is killed, 1 when one survived or did not compile.</returns>
    public static int Run(string root, string selection, int? sample, string seed, string outDirectory, TimeSpan stageTimeout, TextWriter console)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var chosen = MutantBank.Select(MutantBank.Load(root), m => m.Mutant.Id, selection, sample, seed);
        console.WriteLine($"mutants: {string.Join(", ", chosen.Select(m => m.Mutant.Id))}");
        Directory.CreateDirectory(outDirectory);
        var markdown = Path.Combine(outDirectory, KillMatrix.MarkdownFile);
        var verdicts = MutantRun.Run(root, chosen, outDirectory, stageTimeout, console,
            soFar => File.WriteAllText(markdown, KillMatrix.Markdown(soFar, started, clock.Elapsed, chosen.Count)));
        console.WriteLine();
        KillMatrix.WriteConsole(verdicts, console);
        console.WriteLine($"kill matrix: {markdown}");
        var bad = verdicts.Where(v => v.Status != MutantStatus.Killed).ToList();
        if (bad.Count > 0)
        {
            console.WriteLine($"not killed: {string.Join(", ", bad.Select(v => $"{v.Mutant.Id} ({v.Status})"))}");
        }

        return bad.Count == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
