using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PaxosLabs.Gorums.Generator;

namespace PaxosLabs.Generator.Tests.Driver;

/// <summary>A .proto file given to the generator; <paramref name="Generate"/> is its GorumsGenerate metadata.</summary>
internal sealed record ProtoInput(string Path, string Text, bool Generate = true);

/// <summary>What one run of the generator produced.</summary>
internal sealed class GeneratorRun(GeneratorDriver driver, Compilation output, IReadOnlyList<AdditionalText> texts)
{
    public GeneratorDriver Driver { get; } = driver;

    /// <summary>The files the generator was given.</summary>
    public IReadOnlyList<AdditionalText> Texts { get; } = texts;

    public GeneratorDriverRunResult Result { get; } = driver.GetRunResult();

    /// <summary>The compilation with the generated files added.</summary>
    public Compilation Output { get; } = output;

    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public IReadOnlyList<string> HintNames => [.. Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName)];

    public string Source(string hintName)
    {
        var source = Result.Results.SelectMany(r => r.GeneratedSources).SingleOrDefault(s => s.HintName == hintName);
        Assert.True(source.SourceText is not null, $"No generated file {hintName}; generated: [{string.Join(", ", HintNames)}].");
        return source.SourceText.ToString();
    }

    public SyntaxTree Tree(string hintName) =>
        Result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SyntaxTree;
}

/// <summary>Runs the generator in-process on in-memory protos, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest).WithDocumentationMode(DocumentationMode.Diagnose);

    public static GeneratorRun Run(params ProtoInput[] files) => Run(files, trackSteps: false);

    public static GeneratorRun Run(IEnumerable<ProtoInput> files, bool trackSteps)
    {
        var texts = files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text, f.Generate)).ToList();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new GorumsGenerator().AsSourceGenerator()],
            texts,
            ParseOptions,
            new MetadataProvider(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
        driver = driver.RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out _);
        return new GeneratorRun(driver, output, texts);
    }

    /// <summary>Runs an earlier run's driver again after replacing the text of one of its files.</summary>
    public static GeneratorRun Rerun(GeneratorRun previous, ProtoInput replaced)
    {
        var old = previous.Texts.Single(t => t.Path == replaced.Path);
        var replacement = new InMemoryText(replaced.Path, replaced.Text, replaced.Generate);
        var driver = previous.Driver.ReplaceAdditionalText(old, replacement);
        driver = driver.RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out _);
        return new GeneratorRun(driver, output, [.. previous.Texts.Select(t => t == old ? replacement : t)]);
    }

    /// <summary>
    /// An empty library compilation that sees the framework, Google.Protobuf and this test assembly
    /// (whose kitsample messages generated code may use), with nullable on and every warning an error.
    /// </summary>
    public static CSharpCompilation NewCompilation() =>
        CSharpCompilation.Create(
            "GeneratedApi",
            [],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error));

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var extra = new[]
        {
            typeof(Google.Protobuf.IMessage).Assembly.Location,
            typeof(PaxosLabs.Gorums.Configuration).Assembly.Location,
            typeof(GeneratorHarness).Assembly.Location,
        };
        return [.. platform.Concat(extra)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p))];
    });

    private sealed class InMemoryText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryText(string path, string text, bool generate)
        {
            Path = path;
            _text = SourceText.From(text);
            Generate = generate;
        }

        public override string Path { get; }

        public bool Generate { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>Gives each additional file the GorumsGenerate metadata, as CompilerVisibleItemMetadata does.</summary>
    private sealed class MetadataProvider : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(null);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(textFile is InMemoryText { Generate: true } ? "true" : null);
    }

    private sealed class Options(string? generate) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            value = key == "build_metadata.AdditionalFiles.GorumsGenerate" ? generate : null;
            return value is not null;
        }
    }
}
