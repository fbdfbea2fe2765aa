using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Grading;

/// <summary>One graded hidden test, as its assembly declares it.</summary>
/// <param name="Name"><c>Namespace.Class.Method</c>: the name xunit gives the test in a TRX file, without theory arguments.</param>
/// <param name="Task">The task it checks (<c>[Graded("1.4", …)]</c>).</param>
/// <param name="Points">What it is worth.</param>
/// <param name="Visibility">
/// When a student may see its result: the name of the <c>PaxosLabs.Grading.Visibility</c> value its
/// <c>[Graded]</c> names, or null when it names none (then the grade's <c>--visibility</c> applies).
/// </param>
/// <param name="Cases">
/// For a theory whose data are all <c>[InlineData]</c>: how many cases it has, so a theory only some
/// of whose cases ran earns nothing. Null for a fact, or when the number of cases is known only at run time.
/// </param>
/// <param name="IsTheory">An xunit theory (several results under one name); a fact has exactly one result.</param>
public sealed record ManifestTest(string Name, TaskId Task, int Points, string? Visibility, int? Cases = null, bool IsTheory = false)
{
    public int Stage => Task.Stage;
}

/// <summary>
/// The graded tests the hidden-test assembly declares, found by reflection without running any of
/// it: every xunit fact or theory with its <c>[Graded]</c> task and points. Attributes are matched
/// by type name, so the grader needs no reference to xunit or to <c>PaxosLabs.Grading</c>.
/// </summary>
public sealed class Manifest
{
    public const string FactAttribute = "Xunit.FactAttribute";
    public const string TheoryAttribute = "Xunit.TheoryAttribute";
    public const string GradedAttribute = "PaxosLabs.Grading.GradedAttribute";
    private const string DataAttribute = "Xunit.Sdk.DataAttribute";
    private const string InlineDataAttribute = "Xunit.InlineDataAttribute";

    private const BindingFlags AllMethods =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;

    public Manifest(IReadOnlyList<ManifestTest> tests)
    {
        Tests = [.. tests.OrderBy(t => t.Task).ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>Sorted by task, then name.</summary>
    public IReadOnlyList<ManifestTest> Tests { get; }

    /// <summary>The stages that have tests, ascending.</summary>
    public IReadOnlyList<int> Stages => [.. Tests.Select(t => t.Stage).Distinct().Order()];

    public int MaxPoints => Tests.Sum(t => t.Points);

    /// <summary>
    /// Reads the manifest of a built test assembly. The assembly is loaded into a collectible
    /// context that resolves its dependencies from the assembly's own folder, and unloaded afterwards.
    /// </summary>
    /// <exception cref="ManifestException">A test is not graded, or graded wrongly (an error of the kit).</exception>
    public static Manifest Read(string assemblyPath)
    {
        var fullPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(fullPath))
        {
            throw new GraderException($"{fullPath}: no such test assembly");
        }

        var context = new TestAssemblyContext(fullPath);
        try
        {
            return ReadFrom(context, fullPath);
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // A dependency or an attribute type that cannot be loaded: the assembly is not readable.
            throw new GraderException($"{fullPath}: cannot read the tests: {e.Message}", e);
        }
        finally
        {
            context.Unload();
        }
    }

    // Not inlined, so no reference into the context outlives the call and the context can unload.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Manifest ReadFrom(AssemblyLoadContext context, string path)
    {
        var assembly = context.LoadFromAssemblyPath(path);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var causes = e.LoaderExceptions.Where(x => x is not null).Select(x => x!.Message).Distinct().Take(5);
            throw new ManifestException([$"{path}: some test classes cannot be loaded, so their tests would be missing: {string.Join("; ", causes)}"]);
        }

        return FromTypes(types);
    }

    /// <summary>
    /// The manifest of the test methods of <paramref name="types"/> (abstract and open generic
    /// classes are skipped, as xunit skips them; their tests count in the classes that derive from them).
    /// </summary>
    /// <exception cref="ManifestException">Lists every problem found, not only the first.</exception>
    public static Manifest FromTypes(IEnumerable<Type> types)
    {
        var tests = new List<ManifestTest>();
        var problems = new List<string>();
        foreach (var type in types.Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(AllMethods))
            {
                var test = Describe(type, method, problems);
                if (test is not null)
                {
                    tests.Add(test);
                }
            }
        }

        foreach (var duplicate in tests.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: {duplicate.Count()} test methods share this name (overloads); their results cannot be told apart");
        }

        if (problems.Count > 0)
        {
            throw new ManifestException(problems);
        }

        return new Manifest(tests);
    }

    private static ManifestTest? Describe(Type type, MethodInfo method, List<string> problems)
    {
        var attributes = method.GetCustomAttributesData();
        var test = attributes.FirstOrDefault(a => IsOrDerivesFrom(a.AttributeType, FactAttribute));
        var graded = attributes.FirstOrDefault(a => a.AttributeType.FullName == GradedAttribute);
        var name = $"{type.FullName}.{method.Name}";
        if (test is null)
        {
            if (graded is not null)
            {
                problems.Add($"{name}: has [Graded] but is not an xunit [Fact] or [Theory], so it never runs");
            }

            return null;
        }

        if (graded is null)
        {
            problems.Add($"{name}: a hidden test without [Graded(\"N.k\", points)]");
            return null;
        }

        if (test.NamedArguments.Any(a => a.MemberName == "DisplayName"))
        {
            problems.Add($"{name}: a graded test must not set DisplayName (its results are matched by Namespace.Class.Method)");
        }

        var arguments = graded.ConstructorArguments;
        if (arguments.Count != 2 || arguments[0].Value is not string task || arguments[1].Value is not int points)
        {
            problems.Add($"{name}: [Graded] must be [Graded(\"N.k\", points)]");
            return null;
        }

        if (!TaskId.TryParse(task, out var taskId))
        {
            problems.Add($"{name}: [Graded(\"{task}\", …)]: the task must be N.k with positive N and k, as in TODO(N.k)");
            return null;
        }

        if (points <= 0)
        {
            problems.Add($"{name}: [Graded(\"{task}\", {points})]: points must be positive");
            return null;
        }

        var isTheory = IsOrDerivesFrom(test.AttributeType, TheoryAttribute);
        return new ManifestTest(name, taskId, points, VisibilityOf(graded), isTheory ? InlineCases(attributes) : null, isTheory);
    }

    /// <summary>
    /// The visibility <c>[Graded(…, Visibility = …)]</c> names, or null when it names none: named
    /// arguments hold only what the source wrote, so an explicit <c>AfterPublished</c> is kept and
    /// overrides <c>--visibility</c> like any other.
    /// </summary>
    private static string? VisibilityOf(CustomAttributeData graded)
    {
        foreach (var argument in graded.NamedArguments)
        {
            if (argument.MemberName == "Visibility" && argument.TypedValue.Value is { } value)
            {
                var type = argument.TypedValue.ArgumentType;
                var text = type.IsEnum ? Enum.ToObject(type, value).ToString() : value.ToString();
                return string.IsNullOrEmpty(text) ? null : text;
            }
        }

        return null;
    }

    /// <summary>The number of [InlineData] rows when every data attribute is one; null otherwise.</summary>
    private static int? InlineCases(IList<CustomAttributeData> attributes)
    {
        var data = attributes.Where(a => IsOrDerivesFrom(a.AttributeType, DataAttribute)).ToList();
        return data.Count > 0 && data.All(a => a.AttributeType.FullName == InlineDataAttribute) ? data.Count : null;
    }

    private static bool IsOrDerivesFrom(Type? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.FullName == fullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Loads a test assembly and its dependencies from its folder (through its .deps.json where it
    /// has one); framework assemblies come from the default context, and shared frameworks beside
    /// the running one (ASP.NET Core) are probed last.
    /// </summary>
    private sealed class TestAssemblyContext : AssemblyLoadContext
    {
        private readonly string _folder;
        private readonly AssemblyDependencyResolver _resolver;

        public TestAssemblyContext(string assemblyPath)
            : base($"manifest of {Path.GetFileName(assemblyPath)}", isCollectible: true)
        {
            _folder = Path.GetDirectoryName(assemblyPath)!;
            _resolver = new AssemblyDependencyResolver(assemblyPath);
            Resolving += (context, name) => FromSharedFrameworks(context, name);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            if (path is null && assemblyName.Name is { } simpleName)
            {
                var candidate = Path.Combine(_folder, simpleName + ".dll");
                path = File.Exists(candidate) ? candidate : null;
            }

            return path is null ? null : LoadFromAssemblyPath(path);
        }

        private static Assembly? FromSharedFrameworks(AssemblyLoadContext context, AssemblyName name)
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ → <dotnet>/shared/<framework>/<version>/
            var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
            var shared = runtime.Parent?.Parent;
            if (shared is null || name.Name is null)
            {
                return null;
            }

            var major = Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
            foreach (var framework in shared.EnumerateDirectories())
            {
                var newest = framework.EnumerateDirectories()
                    .Where(v => v.Name.StartsWith(major, StringComparison.Ordinal) && Version.TryParse(v.Name.Split('-')[0], out _))
                    .MaxBy(v => Version.Parse(v.Name.Split('-')[0]));
                var candidate = newest is null ? null : Path.Combine(newest.FullName, name.Name + ".dll");
                if (candidate is not null && File.Exists(candidate))
                {
                    return context.LoadFromAssemblyPath(candidate);
                }
            }

            return null;
        }
    }
}

/// <summary>The hidden tests are not graded correctly: an error of the kit, not of the student.</summary>
public sealed class ManifestException : GraderException
{
    public ManifestException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        $"the hidden tests are not graded correctly ({problems.Count} problem(s)):"
        + string.Concat(problems.Select(p => Environment.NewLine + "  " + p));
}
