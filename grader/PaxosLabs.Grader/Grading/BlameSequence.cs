using System.Xml;
using System.Xml.Linq;

namespace PaxosLabs.Grader.Grading;

/// <summary>
/// Reads the sequence files of the runner's blame collector (<c>Sequence_*.xml</c>): every test the
/// host started, in order, each marked <c>Completed="True"</c> once it finished. A test still marked
/// <c>False</c> was running when the host was stopped or died.
/// </summary>
public static class BlameSequence
{
    /// <summary>The tests (<c>Namespace.Class.Method</c>, each once) left unfinished in the sequence files under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Unfinished(string directory) =>
        [
            .. Directory.EnumerateFiles(directory, "Sequence_*.xml", SearchOption.AllDirectories)
                .SelectMany(file => Unfinished(Read(file)))
                .Distinct(StringComparer.Ordinal),
        ];

    /// <summary>The unfinished tests of one sequence document; an unreadable one names none.</summary>
    public static IEnumerable<string> Unfinished(XDocument? sequence) =>
        sequence?.Root?.Elements("Test")
            .Where(t => string.Equals((string?)t.Attribute("Completed"), "False", StringComparison.OrdinalIgnoreCase))
            .Select(t => TrxResults.TestName((string?)t.Attribute("Name") ?? ""))
            .Where(name => name.Length > 0)
        ?? [];

    private static XDocument? Read(string path)
    {
        try
        {
            return XDocument.Load(path);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
