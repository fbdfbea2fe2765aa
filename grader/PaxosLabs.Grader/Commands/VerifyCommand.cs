using System.CommandLine;
using PaxosLabs.Grader.Attacks;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Mutants;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>verify</c>: the kit's self-check. Exit 0 when every check holds, 1 when one does not.
/// With <c>--mutants</c> it checks the mutant bank instead: every selected mutant must be killed.
/// With <c>--attacks</c> it checks the grader against the attack bank: no attack may earn points.
/// </summary>
internal static class VerifyCommand
{
    private const int DefaultStageTimeout = 600;

    public static Command Create(CommonOptions common)
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the reports (default: artifacts/verify, with --mutants artifacts/verify/mutants).",
            HelpName = "dir",
        };
        var mutants = new Option<string>("--mutants")
        {
            Description = $"Instead of the kit checks, grade mutants of {MutantBank.Folder}/ ('all', or ids separated by commas) with their stage's hidden tests and print the kill matrix; a mutant no test kills fails.",
            HelpName = "all|id,id",
        };
        var attacks = new Option<string>("--attacks")
        {
            Description = $"Instead of the kit checks, grade the skeletons and the solutions with each selected attack of {AttackBank.Folder}/ ('all', or ids separated by commas); the skeletons must score 0, the solutions lose only the tests the attack crashed, and no report may show solution code.",
            HelpName = "all|id,id",
        };
        var sample = new Option<int?>("--mutant-sample")
        {
            Description = "With --mutants: only this many of the selected mutants, chosen by --mutant-seed.",
            HelpName = "n",
        };
        var seed = new Option<string>("--mutant-seed")
        {
            Description = "With --mutant-sample: what chooses the sample (CI gives the commit hash, so the sample rotates).",
            HelpName = "text",
        };
        var stageTimeout = new Option<int>("--stage-timeout")
        {
            Description = "The hard bound of each stage's test run, in seconds.",
            DefaultValueFactory = _ => DefaultStageTimeout,
            HelpName = "seconds",
        };
        var command = new Command("verify", "Check the kit: skeletons/ is up to date, the solutions graded as a submission score 100 %, the points the assignment texts and docs publish are the grader's, the skeletons score 0, and no hidden test passes on a stub. With --mutants: every mutant of the bank is killed by a hidden test.")
        {
            output, mutants, attacks, sample, seed, stageTimeout,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var console = parseResult.InvocationConfiguration.Output;
            var timeout = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(stageTimeout)));
            if (parseResult.GetValue(attacks) is { } chosen)
            {
                if (parseResult.GetValue(mutants) is not null)
                {
                    throw new GraderException("--attacks and --mutants are two checks: give one");
                }

                return AttackCheck.Run(root, chosen, Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "verify", "attacks")), timeout, console);
            }

            if (parseResult.GetValue(mutants) is { } selection)
            {
                var outDirectory = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "verify", "mutants"));
                return MutantCheck.Run(root, selection, parseResult.GetValue(sample), parseResult.GetValue(seed) ?? "", outDirectory, timeout, console);
            }

            if (parseResult.GetValue(sample) is not null || parseResult.GetValue(seed) is not null)
            {
                throw new GraderException("--mutant-sample and --mutant-seed go with --mutants");
            }

            var checks = KitCheck.Run(root, Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "verify")), timeout, console);
            console.WriteLine();
            foreach (var check in checks)
            {
                console.WriteLine($"{(check.Holds ? "ok  " : "FAIL")}  {check.Name}{(check.Detail is null ? "" : $": {check.Detail}")}");
            }

            var failed = checks.Count(c => !c.Holds);
            console.WriteLine(failed == 0 ? "the kit is consistent" : $"{failed} check(s) failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }
}
