using System.Text;
using PaxosLabs.Grader.Handout;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests.Handout;

/// <summary>
/// The reference checker on small handouts: each rule passes a good reference and reports a bad
/// one with its file and line, so that a rule that stopped working would show here.
/// </summary>
public class HandoutReferencesTests
{
    private static readonly string Protocol = Lines(
        "# Protocol",
        "",
        "## 0. Common rules",
        "",
        "### 0.2 Quorum size",
        "",
        "## 4. Stage 4 — Multi-Paxos",
        "",
        "### 4.3 PrepareQF and gap filling",
        "",
        "```text",
        "### 7.7 not a heading: it is inside a code block",
        "```");

    /// <summary>A handout with the protocol, a guide, one assignment, one proto and one source file, plus <paramref name="extra"/>.</summary>
    private static List<HandoutFile> Handout(params (string Path, string Text)[] extra) =>
    [
        File("docs/protocol.md", Protocol),
        File("docs/student-guide.md", "# Guide\n"),
        File("assignments/01-start/README.md", "# Start\n"),
        File("protos/p.proto", "syntax = \"proto3\";\n"),
        File("src/P/A.cs", "namespace P;\n"),
        .. extra.Select(e => File(e.Path, e.Text)),
    ];

    private static HandoutFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    private static IReadOnlyList<string> Check(params (string Path, string Text)[] extra) => HandoutReferences.Check(Handout(extra));

    [Fact]
    public void A_handout_whose_references_all_resolve_has_no_problem()
    {
        var problems = Check(
            ("README.md", Lines(
                "Read the [guide](docs/student-guide.md) and [the rules](docs/protocol.md#43-prepareqf-and-gap-filling),",
                "then [assignment 1](assignments/01-start/README.md) and [its folder](assignments/01-start/).",
                "The web: [Gorums](https://github.com/relab/gorums/blob/master/docs/x.md), [mail](mailto:a@b.c).")),
            ("assignments/02-next/README.md", Lines(
                "See [the protocol §0.2](../../docs/protocol.md#02-quorum-size), [the first one](../01-start/README.md),",
                "[a heading here](#next) and [a link whose text",
                "wraps](../../docs/student-guide.md).",
                "",
                "## Next")),
            ("src/P/B.cs", Lines(
                "// The rule: docs/protocol.md §4.3 (and protocol §0.2, §4); see assignments/*/README.md.",
                "// protos/ holds protos/p.proto; https://example.org/docs/elsewhere.md is no file of ours.")));

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("// see SPEC §3 for the rule", "SPEC §3")]
    [InlineData("// exactly as SPEC §2.4 says", "SPEC §2.4")]
    [InlineData("rule: the rule it breaks, citing SPEC.md", "SPEC.md")]
    [InlineData("the goal cannot be met with what the SPEC prescribes", "SPEC")]
    [InlineData("see spec.md", "spec.md")]
    public void A_mention_of_the_external_specification_is_reported(string line, string cited)
    {
        var problem = Assert.Single(Check(("src/P/B.cs", Lines("namespace P;", line))));

        Assert.Equal($"src/P/B.cs:2: cites {cited}, which the handout does not contain (the kit's rules are in docs/protocol.md: cite them as protocol §N.k)", problem);
    }

    [Fact]
    public void Kit_folders_named_inside_msbuild_expressions_or_longer_paths_are_not_mentions() =>
        Assert.Empty(Check(("Directory.Build.props", Lines(
            "<KitTree Condition=\"$(_ProjDir.StartsWith('$(RepoRoot)solutions/'))\">solutions</KitTree>",
            "<!-- the output goes to artifacts/grader/x and src/solutions/y -->"))));

    [Fact]
    public void Words_that_only_look_like_the_specification_are_not_reported() =>
        Assert.Empty(Check(("src/P/B.cs", "// IStorageQSpec and the QSPEC of a stage follow the specification; a spec is fine.\n")));

    [Theory]
    [InlineData("[the rules](../../docs/rules.md)", "../../docs/rules.md", "")]
    [InlineData("[assignment 9](../09-none/README.md)", "../09-none/README.md", "")]
    [InlineData("[wrong base](docs/protocol.md)", "docs/protocol.md", "")]
    [InlineData("[too far up](../../../outside.md)", "../../../outside.md", " (the path leads out of the handout)")]
    [InlineData("[an old heading](../../docs/protocol.md#4-stage-4)", "../../docs/protocol.md#4-stage-4", " (docs/protocol.md has no heading whose anchor is #4-stage-4)")]
    [InlineData("[upper case](../../docs/protocol.md#02-Quorum-Size)", "../../docs/protocol.md#02-Quorum-Size", " (docs/protocol.md has no heading whose anchor is #02-Quorum-Size)")]
    [InlineData("[in a code block](../../docs/protocol.md#77-not-a-heading-it-is-inside-a-code-block)", "../../docs/protocol.md#77-not-a-heading-it-is-inside-a-code-block", " (docs/protocol.md has no heading whose anchor is #77-not-a-heading-it-is-inside-a-code-block)")]
    [InlineData("[here](#nowhere)", "#nowhere", " (assignments/02-next/README.md has no heading whose anchor is #nowhere)")]
    public void A_link_to_a_file_or_heading_the_handout_lacks_is_reported(string link, string cited, string why)
    {
        var problem = Assert.Single(Check(("assignments/02-next/README.md", Lines("# Next", "", "Read " + link + " first."))));

        Assert.Equal($"assignments/02-next/README.md:3: cites {cited}, which the handout does not contain{why}", problem);
    }

    [Fact]
    public void A_link_whose_text_wraps_is_reported_at_the_line_of_its_target() =>
        Assert.Equal(
            ["docs/student-guide.md:3: cites gone.md, which the handout does not contain"],
            HandoutReferences.Check([.. Handout().Where(f => f.RelativePath != "docs/student-guide.md"), File("docs/student-guide.md", Lines("# Guide", "See [a text that", "wraps](gone.md).", "`[code](is-not-a-link.md)`"))]));

    [Fact]
    public void Links_in_code_blocks_and_code_spans_are_text_but_paths_in_them_are_still_mentions()
    {
        var problems = Check(("docs/extra.md", Lines(
            "# Extra",
            "```sh",
            "echo [x](gone.md)",
            "cat docs/gone.md",
            "```",
            "Not a link: `[x](gone.md)`, but a mention: `protos/gone.proto`.")));

        Assert.Equal(
            [
                "docs/extra.md:4: cites docs/gone.md, which the handout does not contain",
                "docs/extra.md:6: cites protos/gone.proto, which the handout does not contain",
            ],
            problems);
    }

    [Theory]
    [InlineData("// See docs/architecture.md.", "docs/architecture.md")]
    [InlineData("throw new NotImplementedException(\"TODO(2.1): See assignments/02-paxos/README.md, task 2.1.\");", "assignments/02-paxos/README.md")]
    [InlineData("// generated from protos/storage.proto", "protos/storage.proto")]
    [InlineData("// every text is assignments/*/NOTES.md", "assignments/*/NOTES.md")]
    [InlineData("// the rules: docs/protocol.md#99-gone", "docs/protocol.md#99-gone")]
    [InlineData("// the staff keep theirs in docs/staff/", "docs/staff/")]
    [InlineData("const string Replay = \"dotnet test solutions/tests/PaxosLabs.Simulation.Tests\";", "solutions/tests/PaxosLabs.Simulation.Tests")] // kit-only folders are never in a handout
    [InlineData("// grader/scripts/check-trace-render.sh renders this page", "grader/scripts/check-trace-render.sh")]
    [InlineData("// generated into skeletons/", "skeletons/")]
    public void A_path_the_handout_lacks_is_reported_wherever_it_is_mentioned(string line, string cited)
    {
        var problems = Check(("src/P/B.cs", Lines("namespace P;", "", line)));

        var problem = Assert.Single(problems);
        Assert.StartsWith($"src/P/B.cs:3: cites {cited}, which the handout does not contain", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("// the rule: protocol §4.4", "protocol §4.4", "4.4")]
    [InlineData("// the rule: docs/protocol.md §9", "docs/protocol.md §9", "9")]
    [InlineData("// the rule: protocol.md §0.2.1", "protocol.md §0.2.1", "0.2.1")]
    [InlineData("// quorum: protocol §0.2 and §0.3", "§0.3", "0.3")]
    [InlineData("// the heading in the code block: protocol §7.7", "protocol §7.7", "7.7")]
    public void A_citation_of_a_section_the_protocol_lacks_is_reported(string line, string cited, string section)
    {
        var problem = Assert.Single(Check(("src/P/B.cs", Lines(line))));

        Assert.Equal($"src/P/B.cs:1: cites {cited}, which the handout does not contain (docs/protocol.md has no section {section})", problem);
    }

    [Fact]
    public void A_citation_without_the_protocol_in_the_handout_is_reported()
    {
        var files = Handout(("src/P/B.cs", "// protocol §0.2\n")).Where(f => f.RelativePath != HandoutReferences.Protocol).ToList();

        Assert.Equal(["src/P/B.cs:1: cites protocol §0.2, which the handout does not contain (the handout has no docs/protocol.md)"], HandoutReferences.Check(files));
    }

    [Fact]
    public void Problems_come_in_order_of_file_line_and_column_and_binary_files_are_skipped()
    {
        var files = Handout(
            ("src/Z.cs", "// docs/z.md\n"),
            ("src/A.cs", Lines("// fine", "// protocol §8 and docs/a.md")));
        files.Add(new HandoutFile("src/blob.bin", [0x64, 0x6F, 0x63, 0x73, 0x2F, 0x78, 0x00])); // "docs/x" and a NUL

        Assert.Equal(
            [
                "src/A.cs:2: cites protocol §8, which the handout does not contain (docs/protocol.md has no section 8)",
                "src/A.cs:2: cites docs/a.md, which the handout does not contain",
                "src/Z.cs:1: cites docs/z.md, which the handout does not contain",
            ],
            HandoutReferences.Check(files));
    }

    [Fact]
    public void The_sections_are_the_numbers_of_the_protocols_headings() =>
        Assert.Equal(["0", "0.2", "4", "4.3"], HandoutReferences.Sections(Protocol).Order(StringComparer.Ordinal));

    [Fact]
    public void Citations_alone_can_be_checked_in_files_outside_the_handout()
    {
        var files = new[]
        {
            File("grader/mutants/ok.mutant", "rule: protocol §4.3 PrepareQF: fill every gap\n"),
            File("grader/mutants/bad.mutant", "file: x\nrule: protocol §4.30 PrepareQF: fill every gap (docs/staff.md is not checked here)\n"),
        };

        Assert.Equal(
            ["grader/mutants/bad.mutant:2: cites protocol §4.30, which the handout does not contain (docs/protocol.md has no section 4.30)"],
            HandoutReferences.CheckCitations(files, Protocol));
    }

    [Theory]
    [InlineData("1. Stage 1 — quorum calls", "1-stage-1--quorum-calls")]
    [InlineData("4.10 Forwarding and leader changes", "410-forwarding-and-leader-changes")]
    [InlineData("Task 2.1 — the acceptor's `Prepare`", "task-21--the-acceptors-prepare")]
    [InlineData("Why a majority, and n = 2f + 1", "why-a-majority-and-n--2f--1")]
    [InlineData("The [linked](x.md) *word* and snake_case", "the-linked-word-and-snake_case")]
    [InlineData("Überblick: Größe", "überblick-größe")]
    public void Anchors_follow_githubs_rules(string title, string anchor) =>
        Assert.Equal(anchor, MarkdownHeadings.Slug(title));

    [Fact]
    public void A_repeated_heading_gets_a_numbered_anchor_and_closing_hashes_are_not_text() =>
        Assert.Equal(
            ["hints", "hints-1", "hints-2", "title"],
            MarkdownHeadings.Anchors("## Hints\n\n### Hints\n\n## Hints ##\n\n# Title #\n").Order(StringComparer.Ordinal));
}
