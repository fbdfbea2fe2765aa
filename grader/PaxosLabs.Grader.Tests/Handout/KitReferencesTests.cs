using System.Text.RegularExpressions;
using PaxosLabs.Grader.Handout;
using PaxosLabs.Grader.Mutants;
using PaxosLabs.Grader.Skeletons;
using PaxosLabs.Grader.Tests.Grading;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// The real kit: its handout cites only what it contains, and the rules the kit cites outside the
/// handout (the mutant bank, the solutions) name sections that the protocol has.
/// </summary>
public sealed partial class KitReferencesTests
{
    private static readonly string Root = KitRepository.Root;

    private static string ProtocolText => File.ReadAllText(Path.Combine(Root, HandoutReferences.Protocol));

    [Fact]
    public void The_real_handout_ships_the_protocol_and_cites_nothing_it_does_not_contain()
    {
        var files = HandoutGenerator.Generate(Root);

        Assert.Contains(files, f => f.RelativePath == HandoutReferences.Protocol);
        Assert.Contains(files, f => f.RelativePath == "docs/student-guide.md");
        var problems = HandoutReferences.Check(files);
        Assert.True(problems.Count == 0, "the handout cites what it does not contain:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_real_handout_has_no_staff_tool_manifest_and_nothing_of_the_grader()
    {
        var paths = HandoutGenerator.Generate(Root).Select(f => f.RelativePath).ToList();

        Assert.True(File.Exists(Path.Combine(Root, ".config", "dotnet-tools.json")), "the kit pins its staff tools in .config/dotnet-tools.json");
        Assert.DoesNotContain(".config/dotnet-tools.json", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("grader/", StringComparison.Ordinal) || p.StartsWith("solutions/", StringComparison.Ordinal) || p.Contains("stryker", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_student_guide_and_the_readme_of_the_handout_point_at_the_protocol()
    {
        var files = HandoutGenerator.Generate(Root).ToDictionary(f => f.RelativePath, f => System.Text.Encoding.UTF8.GetString(f.Content));

        Assert.Contains("](protocol.md)", files["docs/student-guide.md"], StringComparison.Ordinal);
        Assert.Contains("](docs/protocol.md)", files["README.md"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_protocol_has_a_numbered_section_for_every_stage() =>
        Assert.Superset(new HashSet<string>(["0", "1", "2", "3", "4", "0.2", "4.3"]), new HashSet<string>(HandoutReferences.Sections(ProtocolText)));

    [Fact]
    public void Every_assignment_text_points_at_its_stage_of_the_protocol()
    {
        var anchors = MarkdownHeadings.Anchors(ProtocolText);
        foreach (var folder in Directory.GetDirectories(Path.Combine(Root, "assignments")))
        {
            var stage = int.Parse(Path.GetFileName(folder)[..2], System.Globalization.CultureInfo.InvariantCulture);
            var link = StageLink().Matches(File.ReadAllText(Path.Combine(folder, "README.md")))
                .FirstOrDefault(m => m.Groups["anchor"].Value.StartsWith($"{stage}-stage-{stage}--", StringComparison.Ordinal));

            Assert.True(link is not null, $"{Path.GetFileName(folder)}/README.md has no link to docs/protocol.md §{stage}");
            Assert.Contains(link.Groups["anchor"].Value, anchors);
        }
    }

    [Fact]
    public void Every_mutant_rule_and_every_citation_in_the_solutions_names_a_section_of_the_protocol()
    {
        var mutants = Directory.GetFiles(Path.Combine(Root, "grader", "mutants"), "*.mutant").Order(StringComparer.Ordinal).ToList();
        var rules = mutants.Select(m => MutantFile.Parse(Path.GetFileName(m), File.ReadAllText(m))).ToList();
        var uncited = rules.Where(m => !m.Rule.StartsWith("protocol §", StringComparison.Ordinal)).Select(m => m.Id).ToList();
        Assert.True(uncited.Count == 0, "these mutants' rules do not start with the protocol section they break (rule: protocol §N.k …): " + string.Join(", ", uncited));

        var solutions = Path.Combine(Root, SkeletonGenerator.SolutionsFolder);
        var files = mutants.Select(m => new HandoutFile(Path.GetRelativePath(Root, m).Replace('\\', '/'), File.ReadAllBytes(m)))
            .Concat(KitFiles.List(solutions).Select(p => new HandoutFile($"{SkeletonGenerator.SolutionsFolder}/{p}", File.ReadAllBytes(Path.Combine(solutions, p)))))
            .ToList();
        var problems = HandoutReferences.CheckCitations(files, ProtocolText);

        Assert.True(problems.Count == 0, "citations of sections the protocol does not have:\n" + string.Join('\n', problems));
        Assert.True(rules.Count >= 30, $"only {rules.Count} mutants were checked");
    }

    [GeneratedRegex(@"\]\(\.\./\.\./docs/protocol\.md#(?<anchor>[^)]+)\)")]
    private static partial Regex StageLink();
}
