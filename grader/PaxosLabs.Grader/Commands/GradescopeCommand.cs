using System.CommandLine;
using System.Globalization;
using PaxosLabs.Grader.Packaging;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>gradescope --out &lt;file.zip&gt;</c>: write the Gradescope autograder zip (setup.sh, run_autograder
/// and the kit's sources), with the <c>grade</c> options its run_autograder passes baked in
/// (docs/grading.md, "Gradescope"). Exit codes: 0 written, 2 a usage error or a file in the way.
/// </summary>
internal static class GradescopeCommand
{
    public static Command Create(CommonOptions common)
    {
        var output = new Option<string>("--out")
        {
            Description = "The autograder zip to write (upload it to Gradescope; it holds the solutions and hidden tests, so keep it private).",
            HelpName = "file.zip",
            Required = true,
        };
        output.Validators.Add(result =>
        {
            var path = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(path).Length <= ".zip".Length)
            {
                result.AddError($"--out must name a .zip file, not '{path}'");
            }
        });
        var force = new Option<bool>("--force") { Description = "Overwrite the zip if it exists." };
        var stageTimeout = GradeCommand.StageTimeoutOption();
        stageTimeout.DefaultValueFactory = _ => GradescopeSettings.DefaultStageTimeout;
        stageTimeout.Description += " Baked into run_autograder; lower by default than grade's, so the worst case fits Gradescope's autograder timeout.";
        var testTimeout = GradeCommand.TestTimeoutOption();
        testTimeout.Description += " Baked into run_autograder.";
        var sandbox = GradeCommand.SandboxOption();
        sandbox.Description += " Baked into run_autograder.";
        var visibility = GradeCommand.VisibilityOption();
        visibility.Description += " Baked into run_autograder.";

        var command = new Command("gradescope", "Write the Gradescope autograder zip: setup.sh (installs .NET if missing, builds the grader and the hidden tests once), run_autograder (grades /autograder/submission with the options given here) and the kit under kit/.")
        {
            output,
            force,
            visibility,
            stageTimeout,
            testTimeout,
            sandbox,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var settings = new GradescopeSettings(
                parseResult.GetValue(visibility)!,
                parseResult.GetValue(stageTimeout),
                parseResult.GetValue(testTimeout),
                parseResult.GetValue(sandbox));
            var zip = Path.GetFullPath(parseResult.GetValue(output)!);
            var summary = GradescopePackage.Write(root, zip, settings, parseResult.GetValue(force));

            var console = parseResult.InvocationConfiguration.Output;
            var worst = settings.WorstCase(summary.Stages);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"autograder written to {zip} ({summary.KitFiles} kit files, {summary.Bytes / 1024.0 / 1024.0:0.0} MiB)"));
            console.WriteLine($"run_autograder grades with: {string.Join(' ', settings.GradeArguments)}");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"worst case of one submission: {worst.TotalMinutes:0} min (the 15 min build bound + {summary.Stages} stages × {settings.StageTimeout} s + 1 min); a correct one takes a few minutes"));
            console.WriteLine("next: upload it as the assignment's autograder zip on Gradescope and set the autograder timeout above the worst case; it holds the solutions, keep it private");
            return ExitCodes.Success;
        });
        return command;
    }
}
