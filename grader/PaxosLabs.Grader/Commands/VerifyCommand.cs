using System.CommandLine;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>verify</c>: the kit's self-check. Exit 0 when every check holds, 1 when one does not.
/// </summary>
internal static class VerifyCommand
{
    private const int DefaultStageTimeout = 600;

    public static Command Create(CommonOptions common)
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the reports of the two grading runs (default: artifacts/verify).",
            HelpName = "dir",
        };
        var command = new Command("verify", "Check the kit: skeletons/ is up to date, the solutions graded as a submission score 100 %, the skeletons score 0, and no hidden test passes on a stub.")
        {
            output,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var console = parseResult.InvocationConfiguration.Output;
            var outDirectory = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "verify"));
            var checks = KitCheck.Run(root, outDirectory, TimeSpan.FromSeconds(DefaultStageTimeout), console);
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
