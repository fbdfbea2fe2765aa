using System.CommandLine;
using System.Globalization;
using PaxosLabs.Grader.Reports;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>coverage &lt;results-dir&gt; [--under solutions]</c>: line coverage merged over a test run's cobertura files.</summary>
internal static class CoverageCommand
{
    public static Command Create(CommonOptions common)
    {
        var results = new Argument<DirectoryInfo>("results-dir") { Description = "Folder holding the test run's coverage.cobertura.xml files." };
        var under = new Option<string>("--under") { Description = "Count only source files under this folder of the kit.", DefaultValueFactory = _ => "solutions" };
        var command = new Command("coverage", "Print the line coverage of a folder of the kit, merged over a test run.") { results, under };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var directory = parseResult.GetValue(results)!;
            var output = parseResult.InvocationConfiguration.Output;
            if (!directory.Exists)
            {
                throw new GraderException($"{directory.FullName} does not exist");
            }

            var folder = parseResult.GetValue(under)!;
            var report = CoverageReport.Read(directory.FullName, Path.Combine(root, folder));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"line coverage of {folder}/: {report.Percent:0.0}% ({report.CoveredLines} of {report.Lines} lines, {report.Files.Count} files)"));
            return ExitCodes.Success;
        });
        return command;
    }
}
