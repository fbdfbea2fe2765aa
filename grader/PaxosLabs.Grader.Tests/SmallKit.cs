using PaxosLabs.Grader.Skeletons;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests;

/// <summary>
/// A small kit in a <see cref="TestTree"/>: one stage project with tasks of stages 1 and 2, a test
/// project, an assignment with an instructor region, a proto, the student guide and build files;
/// skeletons/ generated.
/// </summary>
internal static class SmallKit
{
    public const string Props = "<Project>\n  <PropertyGroup>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n</Project>\n";

    /// <summary>solutions/P/A.cs: tasks 1.1 and 1.2 (adjacent to shared code), 2.1 with a STUB, and a one-line stub of 1.3.</summary>
    public static readonly string Solution = Lines(
        "namespace P;",
        "",
        "public sealed class A",
        "{",
        "    public int One()",
        "    {",
        "        // BEGIN TODO(1.1): Return one.",
        "        return 1;",
        "        // END TODO(1.1)",
        "    }",
        "",
        "    public int Two()",
        "    {",
        "        // BEGIN TODO(1.2): Return two.",
        "        var two = 2;",
        "        return two;",
        "        // END TODO(1.2)",
        "    }",
        "",
        "    public int Three() => 3; // STUB TODO(1.3): 0;",
        "",
        "    public int Later()",
        "    {",
        "        // BEGIN TODO(2.1): Return forty-two.",
        "        return 42;",
        "        // STUB",
        "        // return 0;",
        "        // END TODO(2.1)",
        "    }",
        "}");

    /// <summary>The points table of assignments/01-quorum-calls: tasks 1.1–1.3 (2.1 has no assignment text).</summary>
    public const string PointsTable = "| Task | Behaviour checked | Points |\n|---|---|---|\n| 1.1 | one | 2 |\n| 1.2 | two | 3 |\n| 1.3 | three | 1 |\n| | **Total** | **6** |\n\n";

    /// <summary>solutions/tests/T/ATests.cs: visible tests of 1.1 (two), 1.2 and 1.3 (both in one attribute list), as text.</summary>
    public static readonly string VisibleTests = Lines(
        "public class ATests",
        "{",
        "    [Fact]",
        "    [Trait(\"Task\", \"1.1\")]",
        "    public void One() { }",
        "",
        "    [Fact, Trait(\"Task\", \"1.1\")]",
        "    public void AlsoOne() { }",
        "",
        "    [Fact]",
        "    [Trait(\"Task\", \"1.2\"), Trait( \"Task\" , \"1.3\" )]",
        "    public void TwoAndThree() { }",
        "}");

    public static TestTree Create()
    {
        var tree = new TestTree();
        tree.Write("Directory.Build.props", Props);
        tree.Write("Directory.Packages.props", "<Project />\n");
        tree.Write("global.json", "{ }\n");
        tree.Write(".editorconfig", "root = true\n");
        tree.Write("solutions/P/P.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <GorumsProto Include=\"p.proto\" />\n  </ItemGroup>\n</Project>\n");
        tree.Write("solutions/P/A.cs", Solution);
        tree.Write("solutions/P/Shared.cs", "namespace P;\n\npublic static class Shared { }\n");
        tree.Write("solutions/tests/T/T.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        tree.Write("solutions/tests/T/ATests.cs", VisibleTests);
        // The folder the handout README links to (HandoutTexts.Readme): a dangling link would stop `handout`.
        tree.Write("assignments/01-quorum-calls/README.md", "# Start\n<!-- BEGIN INSTRUCTOR -->\nthe answer is 42\n<!-- END INSTRUCTOR -->\n" + PointsTable + "Good luck.\n");
        tree.Write("protos/p.proto", "syntax = \"proto3\";\nimport \"base.proto\";\n");
        tree.Write("protos/base.proto", "syntax = \"proto3\";\n");
        tree.Write("protos/kitsample.proto", "syntax = \"proto3\";\n// used by the kit's own tests only\n");
        tree.Write("docs/student-guide.md", "# Guide\n");
        tree.Write("docs/protocol.md", "# Protocol\n\n## 1. Start\n\n### 1.1 One is one\n");
        tree.Write("docs/instructor-guide.md", "# Staff only\n");
        tree.Write("grader/PaxosLabs.HiddenTests/Hidden.cs", "class Hidden { }\n");
        SkeletonGenerator.Write(tree.Root);
        return tree;
    }
}
