using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Reports;
using PaxosLabs.Grader.Submissions;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>grade &lt;solutions|skeletons|submission-dir&gt;</c> or <c>grade --batch &lt;dir&gt;</c>: run the hidden
/// tests, out of process and stage by stage, and report the score (see docs/grading.md).
/// Exit codes: 0 graded (whatever the score; for a batch, every submission got a row with an
/// outcome), 1 a batch in which some submission could not be graded, 2 a usage or kit error,
/// 3 the submission does not compile, 4 the machine stopped the grading (a build past its bound,
/// or a build failure without a compiler error): grade it again.
/// </summary>
internal static class GradeCommand
{
    public const int DefaultStageTimeout = 600;
    public static readonly int DefaultTestTimeout = (int)GradeOptions.DefaultTestTimeout.TotalSeconds;
    private const int MaxTimeout = 86_400;

    public static Command Create(CommonOptions common)
    {
        var target = new Argument<string?>("submission")
        {
            Description = "What to grade: solutions or skeletons (the kit's trees, as they are), or a submission folder (a student repository with src/, or a tree shaped like skeletons/).",
            HelpName = "solutions|skeletons|dir",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var batch = new Option<string>("--batch")
        {
            Description = "Grade every subfolder of this folder as one submission; writes gradebook.csv and one report folder per student.",
            HelpName = "dir",
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for the reports: score.md, score.json, results.json (Gradescope), junit.xml, trx/, logs/ (default: artifacts/grade/<name>).",
            HelpName = "dir",
        };
        var stageTimeout = StageTimeoutOption();
        var testTimeout = TestTimeoutOption();
        var buildTimeout = BuildTimeoutOption();
        var name = new Option<string>("--name")
        {
            Description = "The submission's name in reports and folders (default: its folder's name).",
            HelpName = "name",
        };
        var jobs = new Option<int>("--jobs")
        {
            Description = "With --batch: how many submissions are graded at once, each in its own tree (default 1; on a machine with c cores, about c / 2 keeps the tests' timing sound).",
            HelpName = "n",
            DefaultValueFactory = _ => 1,
            CustomParser = result => ParseCount(result, "--jobs", 1, MaxJobs),
        };
        var shard = new Option<Shard?>("--shard")
        {
            Description = "With --batch: grade only shard i of n (1-based) of the sorted submission folders, for spreading a course over n machines; `merge` joins the shards' gradebooks.",
            HelpName = "i/n",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
                var parsed = Shard.Parse(text);
                if (parsed is null)
                {
                    result.AddError($"--shard must be i/n with 1 <= i <= n (such as 2/4), not '{text}'");
                }

                return parsed;
            },
        };
        var sandbox = SandboxOption();
        var visibility = VisibilityOption();
        var keep = new Option<bool>("--keep")
        {
            Description = "Keep the overlaid tree (.grade/<name>/) and its build output after grading.",
        };

        var command = new Command("grade", "Run the hidden tests against an implementation or a student's submission, stage by stage, and report the score.")
        {
            target,
            batch,
            output,
            stageTimeout,
            testTimeout,
            buildTimeout,
            name,
            jobs,
            shard,
            sandbox,
            visibility,
            keep,
        };
        command.Validators.Add(result =>
        {
            var hasTarget = result.GetValue(target) is not null;
            var hasBatch = result.GetValue(batch) is not null;
            if (hasTarget == hasBatch)
            {
                result.AddError("grade takes either a submission (or solutions, skeletons) or --batch <dir>, not both and not neither");
            }

            if (!hasBatch && (result.GetResult(jobs) is { Implicit: false } || result.GetResult(shard) is { Implicit: false }))
            {
                result.AddError("--jobs and --shard go with --batch <dir>");
            }
        });
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var console = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(sandbox) == SandboxMode.Container)
            {
                SandboxSupport.Resolve(SandboxMode.Container); // no runtime: say so before any build, not once per submission
            }

            var bounds = new GradeRequest(root, "", "", TimeSpan.FromSeconds(parseResult.GetValue(stageTimeout)), Keep: parseResult.GetValue(keep))
            {
                TestTimeout = TimeSpan.FromSeconds(parseResult.GetValue(testTimeout)),
                BuildTimeout = TimeSpan.FromSeconds(parseResult.GetValue(buildTimeout)),
                Sandbox = parseResult.GetValue(sandbox),
                Visibility = parseResult.GetValue(visibility)!,
            };
            if (parseResult.GetValue(batch) is { } folder)
            {
                var batchOut = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "grade", "batch"));
                return Batch(folder, batchOut, bounds, new BatchOptions(parseResult.GetValue(jobs), parseResult.GetValue(shard)), console);
            }

            var request = bounds with { Target = parseResult.GetValue(target)!, Name = parseResult.GetValue(name) };
            var outDirectory = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, "artifacts", "grade", SubmissionOverlay.SafeName(request.Label)));
            return Grade(request with { OutDirectory = outDirectory }, console);
        });
        return command;
    }

    private static int Grade(GradeRequest request, TextWriter console)
    {
        console.WriteLine($"grading {request.Label} (reports in {request.OutDirectory})");
        var result = GradeJob.Run(request, console);
        GradeJob.Save(result, request.OutDirectory, Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"));
        GradeJob.WriteConsole(result, console);
        return result.ExitCode;
    }

    private static int Batch(string folder, string outDirectory, GradeRequest template, BatchOptions options, TextWriter console)
    {
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grading every submission in {folder}{(options.Shard == Shard.Whole ? "" : $" of shard {options.Shard}")}, {options.Jobs} at a time (reports in {outDirectory})"));
        var rows = BatchJob.Run(folder, outDirectory, template, options, console);
        return Report(rows, outDirectory, console);
    }

    /// <summary>The end of a batch or a merge: the gradebook on the console and in the step summary; exit 1 when a row is an error.</summary>
    public static int Report(IReadOnlyList<GradebookRow> rows, string outDirectory, TextWriter console)
    {
        console.WriteLine();
        console.Write(Gradebook.Csv(rows).ReplaceLineEndings(Environment.NewLine));
        console.WriteLine();
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, Gradebook.Markdown(rows) + "\n");
        }

        var errors = rows.Count(r => r.IsError);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gradebook: {Path.Combine(outDirectory, Gradebook.FileName)} ({rows.Count} submission(s), {errors} not graded)"));
        return errors == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    public static Option<int> StageTimeoutOption() => new("--stage-timeout")
    {
        Description = "Hard time bound of each stage's test run, in seconds; its tests without a result count as timed out.",
        HelpName = "seconds",
        DefaultValueFactory = _ => DefaultStageTimeout,
        CustomParser = result => ParseSeconds(result, "--stage-timeout", DefaultStageTimeout),
    };

    private static readonly int DefaultBuildTimeout = (int)HiddenTestRun.BuildTimeout.TotalSeconds;

    public static Option<int> BuildTimeoutOption() => new("--build-timeout")
    {
        Description = "Time bound of the build of the hidden tests, in seconds; past it the submission is not graded (exit 4, and a batch grades it again at its end), never scored 0.",
        HelpName = "seconds",
        DefaultValueFactory = _ => DefaultBuildTimeout,
        CustomParser = result => ParseSeconds(result, "--build-timeout", DefaultBuildTimeout),
    };

    public static Option<int> TestTimeoutOption() => new("--test-timeout")
    {
        Description = "Time bound of one test, in seconds: when no test finishes for this long, the running test counts as timed out and the stage's other tests run on.",
        HelpName = "seconds",
        DefaultValueFactory = _ => DefaultTestTimeout,
        CustomParser = result => ParseSeconds(result, "--test-timeout", DefaultTestTimeout),
    };

    /// <summary>
    /// <c>--visibility visible|after_due_date|after_published|hidden</c>: when a student sees the
    /// Gradescope result (docs/grading.md, "Gradescope <c>results.json</c>"). Spelled exactly as
    /// Gradescope spells it, since the value goes into results.json as it is.
    /// </summary>
    public static Option<string> VisibilityOption() => new("--visibility")
    {
        Description = "When a student sees the Gradescope result (results.json) and the tests whose [Graded] names no visibility: visible (at once), after_due_date, after_published (when grades are published; the default) or hidden (never).",
        HelpName = string.Join('|', GradescopeVisibility.All),
        DefaultValueFactory = _ => GradescopeVisibility.Default,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? GradescopeVisibility.Default : result.Tokens[^1].Value;
            if (GradescopeVisibility.IsValid(text))
            {
                return text;
            }

            result.AddError($"--visibility must be {string.Join(", ", GradescopeVisibility.All.SkipLast(1))} or {GradescopeVisibility.All[^1]}, not '{text}'");
            return GradescopeVisibility.Default;
        },
    };

    /// <summary><c>--sandbox auto|user|none|container</c> (docs/grading.md, "Isolation").</summary>
    public static Option<SandboxMode> SandboxOption() => new("--sandbox")
    {
        Description = $"How the tests of a submission are kept apart: user (their own user id, the kit hidden, every process they start ended; needs root on Linux), container (each run in a container of the image {ContainerSandbox.Image}: no network, CPU/memory/process limits, only the run's folder; needs docker or podman), none (the grader's own user; results checked, not protected), or auto (user where possible, else none, said in the report).",
        HelpName = "auto|user|none|container",
        DefaultValueFactory = _ => SandboxMode.Auto,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "auto" : result.Tokens[^1].Value;
            if (Enum.TryParse<SandboxMode>(text, ignoreCase: true, out var mode) && text.All(char.IsAsciiLetterLower))
            {
                return mode;
            }

            result.AddError($"--sandbox must be auto, user, none or container, not '{text}'");
            return SandboxMode.Auto;
        },
    };

    private const int MaxJobs = 64;

    private static int ParseCount(ArgumentResult result, string option, int defaultValue, int max) => ParseWhole(result, option, defaultValue, max, "a whole number");

    private static int ParseSeconds(ArgumentResult result, string option, int defaultSeconds) => ParseWhole(result, option, defaultSeconds, MaxTimeout, "a whole number of seconds");

    /// <summary>A whole number from 1 to <paramref name="max"/>; anything else is a one-line usage error.</summary>
    private static int ParseWhole(ArgumentResult result, string option, int defaultValue, int max, string what)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option} must be {what} from 1 to {max}, not '{text}'"));
        return defaultValue;
    }
}
