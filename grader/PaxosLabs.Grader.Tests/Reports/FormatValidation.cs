using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PaxosLabs.Grader.Tests.Reports;

/// <summary>
/// Checks a report against what its consumer requires, by parsing it: Gradescope's results.json
/// (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output format") and JUnit XML in
/// the strict Ant form. Each check returns the problems found, so a failing test lists all of them.
/// </summary>
internal static partial class FormatValidation
{
    private static readonly string[] Visibilities = ["hidden", "after_due_date", "after_published", "visible"];

    /// <summary>The spec's "Output String Formatting" values.</summary>
    private static readonly string[] OutputFormats = ["text", "html", "simple_format", "md", "ansi"];

    /// <summary>The top-level fields the spec defines; any other is a typo Gradescope would silently drop.</summary>
    private static readonly string[] TopLevelFields =
        ["score", "execution_time", "output", "output_format", "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"];

    /// <summary>The fields of one test the spec defines.</summary>
    private static readonly string[] TestFields =
        ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"];

    public static List<string> Gradescope(string json)
    {
        var problems = new List<string>();
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["the top level is not an object"];
        }

        // Either a score at the top, or scores on every test.
        var hasScore = root.TryGetProperty("score", out var score);
        if (hasScore && score.ValueKind != JsonValueKind.Number)
        {
            problems.Add("score is not a number");
        }

        Known(root, TopLevelFields, "top level", problems);
        if (root.TryGetProperty("execution_time", out var time)
            && (time.ValueKind != JsonValueKind.Number || time.GetDouble() < 0))
        {
            problems.Add($"top level.execution_time is {time}, not a number of seconds");
        }

        Optional(root, "output", JsonValueKind.String, "top level", problems);
        Optional(root, "extra_data", JsonValueKind.Object, "top level", problems);
        OptionalFormat(root, "output_format", "top level", problems);
        OptionalFormat(root, "test_output_format", "top level", problems);
        OptionalFormat(root, "test_name_format", "top level", problems);
        OptionalVisibility(root, "visibility", "top level", problems);
        OptionalVisibility(root, "stdout_visibility", "top level", problems);
        Leaderboard(root, problems);
        if (!root.TryGetProperty("tests", out var tests))
        {
            return hasScore ? problems : [.. problems, "neither a score nor tests"];
        }

        if (tests.ValueKind != JsonValueKind.Array)
        {
            return [.. problems, "tests is not an array"];
        }

        var index = 0;
        foreach (var test in tests.EnumerateArray())
        {
            var where = $"tests[{index++}]";
            if (test.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where} is not an object");
                continue;
            }

            if (!hasScore && !test.TryGetProperty("score", out _))
            {
                problems.Add($"{where} has no score and the top level has none either");
            }

            Known(test, TestFields, where, problems);
            Optional(test, "score", JsonValueKind.Number, where, problems);
            Optional(test, "max_score", JsonValueKind.Number, where, problems);
            Optional(test, "name", JsonValueKind.String, where, problems);
            Optional(test, "number", JsonValueKind.String, where, problems);
            Optional(test, "output", JsonValueKind.String, where, problems);
            Optional(test, "extra_data", JsonValueKind.Object, where, problems);
            OptionalFormat(test, "output_format", where, problems);
            OptionalFormat(test, "name_format", where, problems);
            OptionalVisibility(test, "visibility", where, problems);
            if (test.TryGetProperty("status", out var status) && status.GetString() is not ("passed" or "failed"))
            {
                problems.Add($"{where}.status is {status}, not passed or failed");
            }

            if (test.TryGetProperty("tags", out var tags)
                && (tags.ValueKind != JsonValueKind.Array || tags.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String)))
            {
                problems.Add($"{where}.tags is not an array of strings");
            }
        }

        return problems;
    }

    /// <summary>
    /// The strict Ant form (the schema derived from Ant's XMLJUnitResultFormatter): a <c>testsuites</c>
    /// root without attributes; suites with exactly the required attributes (name, timestamp without a
    /// zone, hostname, tests, failures, errors, time, package, id; skipped optional) and the elements
    /// properties, testcase*, system-out, system-err in that order; cases with name, classname and time,
    /// and at most one failure or error with message and type. Times are seconds with at most three decimals.
    /// </summary>
    public static List<string> JUnit(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (System.Xml.XmlException e)
        {
            return [$"not XML: {e.Message}"];
        }

        var problems = new List<string>();
        var root = document.Root!;
        if (root.Name != "testsuites")
        {
            return [$"the root is {root.Name}, not testsuites"];
        }

        if (root.HasAttributes)
        {
            problems.Add($"testsuites has attributes ({string.Join(", ", root.Attributes().Select(a => a.Name))}); the strict schema allows none");
        }

        var suites = root.Elements("testsuite").ToList();
        if (suites.Count == 0 || root.Elements().Any(e => e.Name != "testsuite"))
        {
            problems.Add("testsuites must hold testsuite elements only, and at least one");
        }

        foreach (var (suite, index) in suites.Select((s, i) => (s, i)))
        {
            var name = (string?)suite.Attribute("name");
            Attributes(suite, ["name", "timestamp", "hostname", "tests", "failures", "errors", "time", "package", "id"], ["skipped"], $"testsuite {name}", problems);
            if (suite.Attribute("timestamp") is { } timestamp && !Timestamp().IsMatch(timestamp.Value))
            {
                problems.Add($"testsuite {name}: timestamp=\"{timestamp.Value}\" is not yyyy-MM-ddTHH:mm:ss (no zone)");
            }

            Time(suite, $"testsuite {name}", problems);
            if ((int?)suite.Attribute("id") != index)
            {
                problems.Add($"testsuite {name}: id=\"{(string?)suite.Attribute("id")}\", expected {index}");
            }

            var cases = suite.Elements("testcase").ToList();
            Count(suite, "tests", cases.Count, name, problems);
            Count(suite, "failures", cases.Count(c => c.Element("failure") is not null), name, problems);
            Count(suite, "errors", cases.Count(c => c.Element("error") is not null), name, problems);
            var order = suite.Elements().Select(e => e.Name.LocalName).ToList();
            if (order.Count < 3 || order[0] != "properties" || order[^2] != "system-out" || order[^1] != "system-err" || order[1..^2].Any(n => n != "testcase"))
            {
                problems.Add($"testsuite {name}: its elements are {string.Join(", ", order)}; the schema wants properties, testcase*, system-out, system-err");
            }

            foreach (var testcase in cases)
            {
                var caseName = (string?)testcase.Attribute("name");
                Attributes(testcase, ["name", "classname", "time"], [], $"testcase {caseName}", problems);
                Time(testcase, $"testcase {caseName}", problems);
                var outcomes = testcase.Elements().ToList();
                if (outcomes.Count > 1 || outcomes.Any(o => o.Name != "failure" && o.Name != "error") || outcomes.Any(o => o.Attribute("message") is null || o.Attribute("type") is null))
                {
                    problems.Add($"testcase {caseName}: at most one failure or error, with a message and a type");
                }
            }
        }

        return problems;
    }

    private static void Attributes(XElement element, string[] required, string[] optional, string where, List<string> problems)
    {
        var names = element.Attributes().Select(a => a.Name.LocalName).ToList();
        foreach (var missing in required.Where(r => !names.Contains(r)))
        {
            problems.Add($"{where} lacks the attribute {missing}");
        }

        foreach (var unknown in names.Where(n => !required.Contains(n) && !optional.Contains(n)))
        {
            problems.Add($"{where} has the attribute {unknown}, which the strict schema does not allow");
        }
    }

    private static void Time(XElement element, string where, List<string> problems)
    {
        if (element.Attribute("time") is { } time && !Seconds().IsMatch(time.Value))
        {
            problems.Add($"{where}: time=\"{time.Value}\" is not seconds with at most three decimals");
        }
    }

    /// <summary>A task id such as 4.2.</summary>
    public static bool IsTaskNumber(string? text) => text is not null && TaskNumber().IsMatch(text);

    private static void Optional(JsonElement element, string property, JsonValueKind kind, string where, List<string> problems)
    {
        if (element.TryGetProperty(property, out var value) && value.ValueKind != kind)
        {
            problems.Add($"{where}.{property} is {value.ValueKind}, not {kind}");
        }
    }

    private static void OptionalVisibility(JsonElement element, string property, string where, List<string> problems) =>
        OneOf(element, property, Visibilities, where, problems);

    private static void OptionalFormat(JsonElement element, string property, string where, List<string> problems) =>
        OneOf(element, property, OutputFormats, where, problems);

    private static void OneOf(JsonElement element, string property, string[] values, string where, List<string> problems)
    {
        if (element.TryGetProperty(property, out var value)
            && (value.ValueKind != JsonValueKind.String || !values.Contains(value.GetString(), StringComparer.Ordinal)))
        {
            problems.Add($"{where}.{property} is {value}, not one of {string.Join(", ", values)}");
        }
    }

    private static void Known(JsonElement element, string[] fields, string where, List<string> problems)
    {
        foreach (var property in element.EnumerateObject().Where(p => !fields.Contains(p.Name, StringComparer.Ordinal)))
        {
            problems.Add($"{where} has {property.Name}, a field the spec does not define");
        }
    }

    /// <summary>An array of {name, value, order?}: value a number or a string, order asc or desc.</summary>
    private static void Leaderboard(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("leaderboard", out var board))
        {
            return;
        }

        if (board.ValueKind != JsonValueKind.Array)
        {
            problems.Add("leaderboard is not an array");
            return;
        }

        foreach (var entry in board.EnumerateArray())
        {
            var valid = entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && entry.TryGetProperty("value", out var value) && value.ValueKind is JsonValueKind.Number or JsonValueKind.String
                && (!entry.TryGetProperty("order", out var order) || (order.ValueKind == JsonValueKind.String && order.GetString() is "asc" or "desc"));
            if (!valid)
            {
                problems.Add($"leaderboard entry {entry} is not {{name, value, order: asc|desc}}");
            }
        }
    }

    private static void Count(XElement element, string attribute, int actual, string? name, List<string> problems)
    {
        if ((int?)element.Attribute(attribute) != actual)
        {
            problems.Add($"{element.Name} {name}: {attribute}=\"{(string?)element.Attribute(attribute)}\" but {actual} found");
        }
    }

    [GeneratedRegex(@"^[1-9][0-9]*\.[1-9][0-9]*$")]
    private static partial Regex TaskNumber();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]{1,3})?$")]
    private static partial Regex Seconds();
}
