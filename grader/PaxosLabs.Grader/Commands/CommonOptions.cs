using System.CommandLine;

namespace PaxosLabs.Grader.Commands;

/// <summary>Options every command understands.</summary>
public sealed class CommonOptions
{
    public Option<string> Root { get; } = new("--root")
    {
        Description = "The kit repository root (default: the first directory at or above the current one with Directory.Build.props and solutions/).",
        HelpName = "dir",
        Recursive = true,
    };

    /// <summary>The repository root for this invocation; throws <see cref="GraderException"/> when there is none.</summary>
    public string ResolveRoot(ParseResult parseResult) => KitRoot.Resolve(parseResult.GetValue(Root));
}
