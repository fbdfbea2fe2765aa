using System.CommandLine;
using PaxosLabs.Grader.Handout;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>handout &lt;out-dir&gt; [--force]</c>: write the student repository (refused while it would cite what it lacks).</summary>
internal static class HandoutCommand
{
    public static Command Create(CommonOptions common)
    {
        var outDirectory = new Argument<string>("out-dir") { Description = "An empty (or new) folder outside the kit for the student repository." };
        var force = new Option<bool>("--force") { Description = "Write into a folder that is not empty, overwriting the handout's files (other files are kept)." };
        var command = new Command("handout", "Write the student repository: src/ (the skeletons), protos/, assignments/, the student guide and the protocol, build files, a solution, a README and a CI workflow for the visible tests.")
        {
            outDirectory,
            force,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var target = Path.GetFullPath(parseResult.GetValue(outDirectory)!);
            var summary = HandoutGenerator.Write(root, target, parseResult.GetValue(force));
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine($"handout written to {target} ({summary.Files} files, {summary.Projects} projects)");
            output.WriteLine("next: cd there, `dotnet build` and `dotnet test` (the tests fail until the tasks are solved), then `git init` and push it as the assignment's template repository");
            return ExitCodes.Success;
        });
        return command;
    }
}
