using System.Xml.Linq;

namespace PaxosLabs.Grader.Reports;

/// <summary>Line coverage of one folder, merged over every cobertura file of a test run.</summary>
public sealed record CoverageReport(int CoveredLines, int Lines, IReadOnlyList<(string File, int Covered, int Lines)> Files)
{
    public double Percent => Lines == 0 ? 0 : 100.0 * CoveredLines / Lines;

    /// <summary>
    /// Reads every <c>coverage.cobertura.xml</c> below <paramref name="resultsDirectory"/>. Several
    /// test projects load the same assembly, so a line counts as covered when any run covered it.
    /// Only files whose full path lies under <paramref name="folder"/> are counted.
    /// </summary>
    public static CoverageReport Read(string resultsDirectory, string folder)
    {
        var prefix = Path.GetFullPath(folder).TrimEnd('/') + "/";
        var lines = new Dictionary<(string File, int Line), bool>();
        foreach (var path in Directory.EnumerateFiles(resultsDirectory, "coverage.cobertura.xml", SearchOption.AllDirectories))
        {
            var document = XDocument.Load(path);
            var sources = document.Descendants("source").Select(s => s.Value).ToList();
            foreach (var cls in document.Descendants("class"))
            {
                var file = Resolve((string?)cls.Attribute("filename") ?? "", sources);
                if (!file.StartsWith(prefix, StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var line in cls.Element("lines")?.Elements("line") ?? [])
                {
                    var key = (file, (int)line.Attribute("number")!);
                    var hit = (long)line.Attribute("hits")! > 0;
                    lines[key] = lines.TryGetValue(key, out var before) ? before || hit : hit;
                }
            }
        }

        var files = lines.GroupBy(l => l.Key.File)
            .Select(g => (Path.GetRelativePath(prefix, g.Key), g.Count(l => l.Value), g.Count()))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();
        return new CoverageReport(lines.Count(l => l.Value), lines.Count, files);
    }

    private static string Resolve(string filename, List<string> sources) =>
        Path.IsPathRooted(filename)
            ? filename
            : sources.Select(s => Path.Combine(s, filename)).FirstOrDefault(File.Exists) ?? filename;
}
