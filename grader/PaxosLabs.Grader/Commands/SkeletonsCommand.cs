using System.CommandLine;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>skeletons [--check]</c>: regenerate skeletons/ from solutions/, or verify it is up to date.</summary>
internal static class SkeletonsCommand
{
    public static Command Create(CommonOptions common)
    {
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 and name every file of skeletons/ that is out of date.",
        };
        var command = new Command("skeletons", "Generate skeletons/ from the marked regions of solutions/.") { check };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            return parseResult.GetValue(check) ? Check(root, output) : Write(root, output);
        });
        return command;
    }

    private static int Write(string root, TextWriter output)
    {
        var summary = SkeletonGenerator.Write(root);
        output.WriteLine($"skeletons/ generated from solutions/ ({summary.Files} files: {summary.Written} written, {summary.Deleted} deleted)");
        return ExitCodes.Success;
    }

    private static int Check(string root, TextWriter output)
    {
        var differences = SkeletonGenerator.Check(root);
        foreach (var difference in differences)
        {
            output.WriteLine(difference);
        }

        if (differences.Count > 0)
        {
            return ExitCodes.CheckFailed;
        }

        output.WriteLine($"skeletons/ is up to date ({SkeletonGenerator.Generate(root).Count} files)");
        return ExitCodes.Success;
    }
}
