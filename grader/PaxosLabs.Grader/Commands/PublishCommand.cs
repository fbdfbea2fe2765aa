using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PaxosLabs.Grader.Publishing;

namespace PaxosLabs.Grader.Commands;

/// <summary>
/// <c>publish --stage N &lt;handout-dir&gt;</c>: write stage N's solutions into a student repository.
/// Exit 0 when every region of the stage was published, 1 when some could not be placed (the
/// files are listed; the rest was written), 2 for a usage error.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CommonOptions common)
    {
        var repository = new Argument<string>("handout-dir") { Description = "A student repository made by `handout` (its code under src/)." };
        var stage = new Option<int>("--stage")
        {
            Description = "The stage whose solutions to publish.",
            HelpName = "N",
            Required = true,
            CustomParser = ParseStage,
        };
        var command = new Command("publish", "Replace one stage's stubs in a student repository with the solution; every other region is left as it is.")
        {
            repository,
            stage,
        };
        command.SetAction(parseResult =>
        {
            var root = common.ResolveRoot(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var number = parseResult.GetValue(stage);
            var files = Publisher.Publish(root, number, Path.GetFullPath(parseResult.GetValue(repository)!));
            foreach (var file in files)
            {
                output.WriteLine($"{file.Path}: {file.Action}");
                foreach (var conflict in file.Conflicts)
                {
                    output.WriteLine($"  {conflict}");
                }
            }

            var conflicts = files.Sum(f => f.Conflicts.Count);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage {number}: {files.Count} file(s), {conflicts} region(s) not placed"));
            return conflicts == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static int ParseStage(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var stage) && stage >= 1)
        {
            return stage;
        }

        result.AddError($"--stage must be a stage number (1, 2, …), not '{text}'");
        return 0;
    }
}
