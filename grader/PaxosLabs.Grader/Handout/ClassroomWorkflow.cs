using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Handout;

/// <summary>A task of the points tables, its points, and the visible test projects that have tests of it.</summary>
public sealed record ClassroomTask(TaskId Task, int Points, IReadOnlyList<string> Projects)
{
    /// <summary>The workflow step's id; the reporter reads its result from <c>&lt;ID&gt;_RESULTS</c>.</summary>
    public string StepId => string.Create(CultureInfo.InvariantCulture, $"task-{Task.Stage}-{Task.Number}");
}

/// <summary>
/// The handout's GitHub Classroom workflow: one <c>autograding-command-grader</c> step per task of the
/// assignment texts' points tables, worth the task's points when the task's visible tests pass, and an
/// <c>autograding-grading-reporter</c> step that sends the sum to GitHub Classroom. These are
/// visible-test points: feedback for the student, not the grade (the staff grade with the hidden
/// tests). The tasks and points come from the tables the student reads (which <c>verify</c> keeps
/// equal to the hidden tests'), the projects each step runs from the handout's visible tests.
/// </summary>
public static partial class ClassroomWorkflow
{
    /// <summary>
    /// GitHub Classroom takes the points only from a workflow of this name whose single job is
    /// <see cref="JobId"/>, and only if it is the first workflow of a push to finish, so the handout
    /// has no other workflow.
    /// </summary>
    public const string Name = "Autograding Tests";

    public const string JobId = "run-autograding-tests";

    public const string WorkflowPath = ".github/workflows/classroom.yml";

    public const string ScriptPath = ".github/classroom/run-task-tests.sh";

    /// <summary>
    /// Bound of one task's step, in minutes. A task's visible tests take seconds; a test whose code
    /// never finishes fails after its 30 s wait, so even a task whose every test hangs ends well within it.
    /// </summary>
    public const int TaskTimeoutMinutes = 5;

    /// <summary>Bound of the restore and build, in minutes (a cold build takes one or two).</summary>
    public const int BuildTimeoutMinutes = 15;

    /// <summary>
    /// Bound of the whole job: the build's and every task's bounds, plus <see cref="OtherStepsMinutes"/>,
    /// so a job whose every step runs to its bound still reaches the reporter.
    /// </summary>
    public static int JobTimeoutMinutes(int tasks) => BuildTimeoutMinutes + (tasks * TaskTimeoutMinutes) + OtherStepsMinutes;

    /// <summary>Checking out, setting up .NET, reporting and keeping the results (about a minute together).</summary>
    private const int OtherStepsMinutes = 5;

    private const string TestsFolder = HandoutGenerator.SourceFolder + "/tests/";

    /// <summary>
    /// The tasks of the points tables in the kit's assignment texts (those the handout copies; read from
    /// the kit so a problem names the line an instructor edits), in task order, each with the handout's
    /// test projects under <c>src/tests/</c> that have a test with its <c>Task</c> trait.
    /// </summary>
    /// <exception cref="GraderException">
    /// No table; a task in two rows; a total that is not the sum of its table; or a task without a
    /// visible test (its step could never pass, whatever the student wrote).
    /// </exception>
    public static IReadOnlyList<ClassroomTask> Tasks(string root, IReadOnlyList<HandoutFile> files)
    {
        var rows = new List<PointsRow>();
        foreach (var text in AssignmentTexts(root))
        {
            var table = PublishedPoints.Rows(text, File.ReadAllText(Path.Combine(root, text)));
            var sum = table.Where(r => r.Task is not null).Sum(r => r.Points);
            foreach (var total in table.Where(r => r.Task is null && r.Points != sum))
            {
                throw new GraderException($"{total.File}:{total.Line}: the total says {total.Points} points, the table's tasks give {sum}");
            }

            rows.AddRange(table.Where(r => r.Task is not null));
        }

        if (rows.Count == 0)
        {
            throw new GraderException("no assignment text (assignments/*/README.md) has a points table (rows `| N.k | … | points |`), so the classroom workflow would have no task");
        }

        foreach (var twice in rows.GroupBy(r => r.Task!.Value).Where(g => g.Count() > 1))
        {
            throw new GraderException($"task {twice.Key} has a row in two places: {string.Join(", ", twice.Select(r => $"{r.File}:{r.Line}"))}");
        }

        var visible = VisibleTestProjects(files);
        var missing = rows.Where(r => !visible.ContainsKey(r.Task!.Value)).Select(r => $"{r.Task} ({r.File}:{r.Line})").ToList();
        if (missing.Count > 0)
        {
            throw new GraderException($"no visible test (under solutions/tests/) has the trait Task of {string.Join(", ", missing)}; the classroom workflow could never give those points");
        }

        return [.. rows.Select(r => new ClassroomTask(r.Task!.Value, r.Points, visible[r.Task!.Value])).OrderBy(t => t.Task)];
    }

    /// <summary>
    /// For every task, the test projects (<c>src/tests/&lt;project&gt;</c>) with a test that has
    /// <c>[Trait("Task", "N.k")]</c>, sorted: the projects the task's step runs.
    /// </summary>
    public static IReadOnlyDictionary<TaskId, IReadOnlyList<string>> VisibleTestProjects(IReadOnlyList<HandoutFile> files)
    {
        var projects = files
            .Select(f => f.RelativePath)
            .Where(p => p.StartsWith(TestsFolder, StringComparison.Ordinal) && p.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(p => p[..p.LastIndexOf('/')])
            .ToList();
        var found = new Dictionary<TaskId, SortedSet<string>>();
        foreach (var file in files.Where(f => f.RelativePath.StartsWith(TestsFolder, StringComparison.Ordinal) && f.RelativePath.EndsWith(".cs", StringComparison.Ordinal)))
        {
            var project = projects.Where(p => file.RelativePath.StartsWith(p + "/", StringComparison.Ordinal)).MaxBy(p => p.Length);
            if (project is null)
            {
                continue;
            }

            foreach (Match trait in TaskTrait().Matches(Encoding.UTF8.GetString(file.Content)))
            {
                if (!TaskId.TryParse(trait.Groups["task"].Value, out var task))
                {
                    continue;
                }

                if (!found.TryGetValue(task, out var set))
                {
                    found[task] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add(project);
            }
        }

        return found.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value]);
    }

    /// <summary>The command of a task's step: the handout's script, which fails unless a test ran and all passed.</summary>
    public static string Command(ClassroomTask task) => $"bash {ScriptPath} {task.Task} {string.Join(' ', task.Projects)}";

    /// <summary>The workflow file's text.</summary>
    public static string Render(IReadOnlyList<ClassroomTask> tasks)
    {
        var total = tasks.Sum(t => t.Points);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line("# On every push, runs each task's visible tests and gives the task its points (from the points");
        Line("# tables in assignments/) when at least one of its visible tests ran and all of them passed.");
        Line("#");
        Line(string.Create(CultureInfo.InvariantCulture, $"# These {total} points are FEEDBACK, NOT YOUR GRADE. Your grade comes from the hidden tests, which the"));
        Line("# course staff run on your repository after the deadline; they check the same behaviours with many");
        Line("# more cases, so passing the visible tests is necessary, not sufficient.");
        Line("#");
        Line("# GitHub Classroom shows these points only when the workflow is named \"Autograding Tests\" and its one");
        Line("# job is run-autograding-tests, so please leave the names as they are. To run one task yourself, run");
        Line("# dotnet build, then the command of its step.");
        Line($"name: {Name}");
        Line("on:");
        Line("  push:");
        Line("  workflow_dispatch:");
        Line("  repository_dispatch:");
        Line("permissions:");
        Line("  checks: write");
        Line("  actions: read");
        Line("  contents: read");
        Line("jobs:");
        Line($"  {JobId}:");
        Line("    runs-on: ubuntu-latest");
        Line("    # GitHub Classroom's own first commit needs no run.");
        Line("    if: github.actor != 'github-classroom[bot]'");
        Line("    # The steps' bounds added up, so the job is never cut before the reporter has run.");
        Line(string.Create(CultureInfo.InvariantCulture, $"    timeout-minutes: {JobTimeoutMinutes(tasks.Count)}"));
        Line("    steps:");
        Line("      - name: check out");
        Line("        uses: actions/checkout@v4");
        Line("      - name: set up .NET");
        Line("        uses: actions/setup-dotnet@v4");
        Line("        with:");
        Line("          global-json-file: global.json");
        Line("      - name: build once (each task's step runs with --no-build)");
        Line(string.Create(CultureInfo.InvariantCulture, $"        timeout-minutes: {BuildTimeoutMinutes}"));
        Line("        run: dotnet build");
        foreach (var task in tasks)
        {
            Line($"      - name: task {task.Task}");
            Line($"        id: {task.StepId}");
            Line("        uses: classroom-resources/autograding-command-grader@v1");
            Line("        with:");
            Line($"          test-name: task {task.Task} visible tests");
            Line($"          command: {Command(task)}");
            Line(string.Create(CultureInfo.InvariantCulture, $"          timeout: {TaskTimeoutMinutes}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"          max-score: {task.Points}"));
        }

        Line("      - name: Autograding Reporter");
        Line("        uses: classroom-resources/autograding-grading-reporter@v1");
        Line("        env:");
        foreach (var task in tasks)
        {
            Line($"          {task.StepId.ToUpperInvariant()}_RESULTS: \"${{{{steps.{task.StepId}.outputs.result}}}}\"");
        }

        Line("        with:");
        Line($"          runners: {string.Join(',', tasks.Select(t => t.StepId))}");
        Line("      - name: keep the test results");
        Line("        if: always()");
        Line("        uses: actions/upload-artifact@v4");
        Line("        with:");
        Line("          name: test-results");
        Line("          path: TestResults");
        Line("          if-no-files-found: ignore");
        return text.ToString();
    }

    /// <summary><c>assignments/*/README.md</c>, relative to the kit, sorted.</summary>
    private static IEnumerable<string> AssignmentTexts(string root)
    {
        var folder = Path.Combine(root, "assignments");
        return Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder)
                .Select(d => $"assignments/{Path.GetFileName(d)}/README.md")
                .Where(p => File.Exists(Path.Combine(root, p)))
                .Order(StringComparer.Ordinal)
            : [];
    }

    [GeneratedRegex("""Trait\(\s*"Task"\s*,\s*"(?<task>[0-9]+\.[0-9]+)"\s*\)""")]
    private static partial Regex TaskTrait();
}
