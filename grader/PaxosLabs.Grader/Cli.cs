using System.CommandLine;
using System.CommandLine.Invocation;
using PaxosLabs.Grader.Commands;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader;

/// <summary>The kit's command line. Each command lives in its own file under Commands/.</summary>
public static class Cli
{
    public static RootCommand BuildRootCommand()
    {
        var common = new CommonOptions();
        var root = new RootCommand("PaxosLabs kit tool: generates skeletons from solutions, grades submissions, writes the handout and publishes solutions.");
        root.Options.Add(common.Root);
        root.Subcommands.Add(SkeletonsCommand.Create(common));
        root.Subcommands.Add(EditableCommand.Create(common));
        root.Subcommands.Add(TasksCommand.Create(common));
        root.Subcommands.Add(CoverageCommand.Create(common));
        root.Subcommands.Add(GradeCommand.Create(common));
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(GradescopeCommand.Create(common));
        root.Subcommands.Add(HandoutCommand.Create(common));
        root.Subcommands.Add(PublishCommand.Create(common));
        root.Subcommands.Add(VerifyCommand.Create(common));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parseResult = BuildRootCommand().Parse(args);

        // System.CommandLine would print the errors followed by the whole help text and exit 1;
        // the kit wants one line and exit code 2 for every usage mistake.
        if (parseResult.Action is ParseErrorAction)
        {
            var messages = string.Join("; ", parseResult.Errors.Select(e => e.Message.TrimEnd('.')));
            error.WriteLine($"error: {messages} (see --help)");
            return ExitCodes.Error;
        }

        try
        {
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return parseResult.Invoke(configuration);
        }
        catch (Exception e) when (e is GraderException or IOException or UnauthorizedAccessException)
        {
            // Marker errors are already one "path:line: message" per line.
            error.WriteLine(e is MarkerErrorsException ? e.Message : $"error: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
