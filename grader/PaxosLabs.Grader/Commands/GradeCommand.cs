using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>grade &lt;solutions|skeletons&gt; [--out dir] [--stage-timeout seconds]</c>: run the hidden tests
/// against an implementation, out of process and stage by stage, and print the score table.
/// Exit code 0 when graded (whatever the score), 2 for a usage or kit error, 3 when the hidden tests
/// do not compile against the implementation.
/// </summary>
internal static class GradeCommand
{
    private const int DefaultStageTimeout = 600;
    private const int MaxStageTimeout = 86_400;

    private static readonly string[] Implementations = ["solutions", "skeletons"];

    public static Command Create(CommonOptions common)
    {
        var implementation = new Argument<string>("implementation")
        {
            Description = "What to grade: solutions or skeletons.",
            HelpName = "solutions|skeletons",
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for score.md, score.json, the TRX files and the logs (default: artifacts/grade/<implementation>).",
            HelpName = "dir",
        };
        var stageTimeout = new Option<int>("--stage-timeout")
        {
            Description = "Hard time bound of each stage's test run, in seconds; its tests without a result count as timed out.",
            HelpName = "seconds",
            DefaultValueFactory = _ => DefaultStageTimeout,
            CustomParser = ParseSeconds,
        };

        var command = new Command("grade", "Run the hidden tests against an implementation, stage by stage, and print the score.")
        {
            implementation,
            output,
            stageTimeout,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var impl = parseResult.GetValue(implementation)!;
            if (!Implementations.Contains(impl, StringComparer.Ordinal))
            {
                throw new GraderException($"{impl}: grading a submission directory is not supported yet; use solutions or skeletons");
            }

            var outDirectory = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "grade", impl));
            var options = new GradeOptions(root, impl, outDirectory, TimeSpan.FromSeconds(parseResult.GetValue(stageTimeout)));
            return Grade(options, parseResult.InvocationConfiguration.Output);
        });
        return command;
    }

    private static int ParseSeconds(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return DefaultStageTimeout;
        }

        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= MaxStageTimeout)
        {
            return seconds;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"--stage-timeout must be a whole number of seconds from 1 to {MaxStageTimeout}, not '{text}'"));
        return DefaultStageTimeout;
    }

    private static int Grade(GradeOptions options, TextWriter output)
    {
        output.WriteLine($"grading {options.Implementation} (reports in {options.OutDirectory})");
        var summary = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        switch (HiddenTestRun.Run(options, output))
        {
            case DoesNotCompile failure:
                output.WriteLine();
                ScoreReport.WriteCompileFailure(failure.Errors, output);
                ScoreReport.Save(
                    options.OutDirectory,
                    ScoreReport.CompileFailureMarkdown(options.Implementation, failure.Errors),
                    ScoreReport.CompileFailureJson(options.Implementation, failure.Errors),
                    summary);
                return ExitCodes.DoesNotCompile;

            case Graded graded:
                output.WriteLine();
                ScoreReport.WriteConsole(graded.Score, output);
                ScoreReport.Save(
                    options.OutDirectory,
                    ScoreReport.Markdown(options.Implementation, graded.Score, options.StageTimeout),
                    ScoreReport.Json(options.Implementation, graded.Score),
                    summary);
                return ExitCodes.Success;

            default:
                throw new InvalidOperationException("unknown grading outcome");
        }
    }
}
