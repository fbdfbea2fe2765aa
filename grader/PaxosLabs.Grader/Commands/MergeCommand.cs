using System.CommandLine;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>merge --out &lt;dir&gt; &lt;shard-out&gt;…</c>: join the shards of a batch into one gradebook (docs/grading.md, "Many machines").</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<string[]>("shard-out")
        {
            Description = "The --out folders of the shards' `grade --batch … --shard i/n` runs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for the merged gradebook.csv, gradebook.json and the students' report folders.",
            HelpName = "dir",
            Required = true,
        };
        var command = new Command("merge", "Merge the gradebooks and report folders of a batch's shards into the gradebook one run would have written.")
        {
            shards,
            output,
        };
        command.SetAction(parseResult =>
        {
            var console = parseResult.InvocationConfiguration.Output;
            var outDirectory = Path.GetFullPath(parseResult.GetValue(output)!);
            var rows = GradebookMerge.Run(parseResult.GetValue(shards)!, outDirectory, console);
            return GradeCommand.Report(rows, outDirectory, console);
        });
        return command;
    }
}
