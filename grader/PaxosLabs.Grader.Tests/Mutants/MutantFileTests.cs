using PaxosLabs.Grader.Mutants;
using static PaxosLabs.Grader.Tests.TestTree;

namespace PaxosLabs.Grader.Tests.Mutants;

public class MutantFileTests
{
    internal static readonly string Valid = Lines(
        "# a comment",
        "file: solutions/P/A.cs",
        "task: 1.1",
        "rule: protocol §1.1: one is one",
        "description: returns two instead of one",
        "",
        "--- find",
        "        return 1;",
        "--- replace",
        "        return 2;",
        "--- end");

    private static string Message(string text, string path = "grader/mutants/m.mutant") =>
        Assert.Throws<MutantException>(() => MutantFile.Parse(path, text)).Message;

    [Fact]
    public void A_well_formed_file_gives_every_field_and_the_id_from_its_name()
    {
        var mutant = MutantFile.Parse("grader/mutants/1.1-two.mutant", Valid);

        Assert.Equal("1.1-two", mutant.Id);
        Assert.Equal("solutions/P/A.cs", mutant.File);
        Assert.Equal("P/A.cs", mutant.PathInTree);
        Assert.Equal((1, 1), (mutant.Task.Stage, mutant.Task.Number));
        Assert.Equal("protocol §1.1: one is one", mutant.Rule);
        Assert.Equal("returns two instead of one", mutant.Description);
        Assert.Equal("        return 1;", mutant.Find);
        Assert.Equal("        return 2;", mutant.Replace);
    }

    [Fact]
    public void Blocks_keep_several_lines_and_a_replacement_may_be_empty()
    {
        var text = Valid.Replace("        return 1;\n", "        var x = 1;\n        return x;\n", StringComparison.Ordinal)
            .Replace("        return 2;\n", "", StringComparison.Ordinal);

        var mutant = MutantFile.Parse("m.mutant", text.ReplaceLineEndings("\r\n"));

        Assert.Equal("        var x = 1;\n        return x;", mutant.Find);
        Assert.Equal("", mutant.Replace);
    }

    [Theory]
    [InlineData("file", "the field 'file:' is missing")]
    [InlineData("task", "the field 'task:' is missing")]
    [InlineData("rule", "the field 'rule:' is missing")]
    [InlineData("description", "the field 'description:' is missing")]
    public void A_missing_field_is_named_with_the_file(string field, string expected)
    {
        var text = string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal)));

        var message = Message(text);

        Assert.StartsWith("grader/mutants/m.mutant: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("task: 1.1\n", "task: 1.1\ntask: 1.2\n", "line 4: 'task:' given twice")]
    [InlineData("task: 1.1\n", "task: one\n", "'task: one' is not a task id")]
    [InlineData("task: 1.1\n", "task: 1.1\nauthor: me\n", "line 4: expected one of file:, task:, rule:, description: or '--- find'")]
    [InlineData("file: solutions/P/A.cs", "file: skeletons/P/A.cs", "must name a file under solutions/")]
    [InlineData("file: solutions/P/A.cs", "file: solutions/../x.cs", "must name a file under solutions/")]
    [InlineData("--- find\n", "--- found\n", "line 7: expected '--- find'")]
    [InlineData("--- find\n", "", "line 7: expected one of file:")]
    [InlineData("--- replace\n", "", "expected '--- replace'")]
    [InlineData("--- end\n", "", "expected '--- end'")]
    [InlineData("--- end\n", "--- end\nmore\n", "text after '--- end'")]
    [InlineData("        return 1;\n--- replace", "--- replace", "the text after '--- find' is empty")]
    [InlineData("        return 2;\n", "        return 1;\n", "it changes nothing")]
    public void A_malformed_file_is_an_error_naming_the_file_and_the_mistake(string part, string replacement, string expected)
    {
        var text = Valid.Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);

        var message = Message(text);

        Assert.StartsWith("grader/mutants/m.mutant: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }
}
