using System.CommandLine;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>editable</c>: the files a student edits, relative to solutions/.</summary>
internal static class EditableCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("editable", "List the student-editable files (those with task markers), relative to solutions/.");
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var file in SkeletonGenerator.EditableFiles(common.ResolveRoot(parseResult)))
            {
                output.WriteLine(file);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
