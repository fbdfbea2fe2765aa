using PaxosLabs.Grader.Mutants;

namespace PaxosLabs.Grader.Tests.Mutants;

public class MutantApplierTests
{
    private static Mutant Mutant(string find, string replace) =>
        MutantFile.Parse("grader/mutants/m.mutant", MutantFileTests.Valid)
            with { Find = find, Replace = replace };

    private static string Apply(string find, string replace, string? text = null) =>
        MutantApplier.Apply("grader/mutants/m.mutant", Mutant(find, replace), text ?? SmallKit.Solution);

    private static string Error(string find, string? text = null) =>
        Assert.Throws<MutantException>(() => Apply(find, "        // changed", text)).Message;

    [Fact]
    public void The_text_is_replaced_once_and_nothing_else_changes()
    {
        var mutated = Apply("        return 1;", "        return 2;");

        Assert.Equal(SmallKit.Solution.Replace("        return 1;", "        return 2;", StringComparison.Ordinal), mutated);
    }

    [Fact]
    public void Several_lines_of_one_region_may_be_replaced_and_line_endings_are_kept()
    {
        var crlf = SmallKit.Solution.ReplaceLineEndings("\r\n");

        var mutated = Apply("        var two = 2;\n        return two;", "        return 3;", crlf);

        Assert.Contains("    {\r\n        // BEGIN TODO(1.2): Return two.\r\n        return 3;\r\n        // END TODO(1.2)\r\n", mutated, StringComparison.Ordinal);
        Assert.DoesNotContain("two;", mutated, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_of_a_one_line_stub_may_be_replaced()
    {
        var mutated = Apply("    public int Three() => 3;", "    public int Three() => 4;");

        Assert.Contains("    public int Three() => 4; // STUB TODO(1.3): 0;", mutated, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_does_not_occur_is_an_error_naming_the_mutant()
    {
        var message = Error("        return 7;");

        Assert.Equal("grader/mutants/m.mutant: the text after '--- find' does not occur in solutions/P/A.cs", message);
    }

    [Fact]
    public void Text_that_occurs_twice_is_an_error_naming_the_mutant()
    {
        var message = Error("    {");

        Assert.StartsWith("grader/mutants/m.mutant: the text after '--- find' occurs more than once in solutions/P/A.cs", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    public int One()")] // outside every region
    [InlineData("        // BEGIN TODO(1.1): Return one.\n        return 1;")] // the marker is not the student's
    [InlineData("        return 1;\n        // END TODO(1.1)")]
    public void Text_outside_a_TODO_region_is_an_error_naming_the_mutant(string find)
    {
        var message = Error(find);

        Assert.StartsWith("grader/mutants/m.mutant: the text after '--- find' (solutions/P/A.cs:", message, StringComparison.Ordinal);
        Assert.EndsWith("is not inside one TODO region: a student could not have written it", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_spanning_two_regions_is_an_error()
    {
        var message = Error("        return 1;\n        // END TODO(1.1)\n    }\n\n    public int Two()\n    {\n        // BEGIN TODO(1.2): Return two.\n        var two = 2;");

        Assert.Contains("is not inside one TODO region", message, StringComparison.Ordinal);
    }
}
