using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Emit;
using PaxosLabs.Gorums.Generator.Model;
using PaxosLabs.Gorums.Generator.Proto;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator;

/// <summary>
/// Generates the typed API of every gorums-annotated service in the .proto files given as
/// AdditionalFiles with GorumsGenerate="true". The other .proto AdditionalFiles are read only to
/// resolve the message types the annotated files import.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GorumsGenerator : IIncrementalGenerator
{
    /// <summary>The AdditionalFiles metadata that marks a file to generate from.</summary>
    public const string GenerateMetadata = "build_metadata.AdditionalFiles.GorumsGenerate";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var protos = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".proto", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (input, cancellationToken) => ReadSource(input.Left, input.Right, cancellationToken))
            .Select(static (source, _) => new ParsedProto(source.Generate, Parse(source)));

        var allFiles = protos
            .Select(static (proto, _) => proto.Syntax)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray());

        var results = protos
            .Where(static proto => proto.Generate)
            .Combine(allFiles)
            .Select(static (input, _) => Bind(input.Left.Syntax, input.Right));

        context.RegisterSourceOutput(results, static (output, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            foreach (var service in result.Services)
            {
                try
                {
                    output.AddSource(ServiceEmitter.HintName(service), ServiceEmitter.Emit(service));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    output.ReportDiagnostic(InternalError(result.Path, e).ToDiagnostic());
                }
            }
        });
    }

    /// <summary>Reads one file; a generator bug becomes a diagnostic on the file rather than an exception.</summary>
    private static ProtoFileSyntax Parse(ProtoSource source)
    {
        try
        {
            return ProtoParser.Parse(source.Path, source.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var empty = EquatableArray<string>.Empty;
            return new ProtoFileSyntax(source.Path, string.Empty, null, empty, empty, EquatableArray<ServiceSyntax>.Empty, InternalError(source.Path, e));
        }
    }

    private static ProtoSource ReadSource(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        var generate = options.GetOptions(text).TryGetValue(GenerateMetadata, out var value)
            && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var content = text.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return new ProtoSource(text.Path, content, generate);
    }

    /// <summary>Checks and resolves one file; a generator bug becomes a diagnostic rather than an exception.</summary>
    private static FileResult Bind(ProtoFileSyntax file, EquatableArray<ProtoFileSyntax> allFiles)
    {
        try
        {
            return ServiceBinder.Bind(file, allFiles);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new FileResult(file.Path, EquatableArray<ServiceSpec>.Empty, new[] { InternalError(file.Path, e) }.ToEquatableArray());
        }
    }

    private static DiagnosticInfo InternalError(string path, Exception e) =>
        DiagnosticInfo.Create(GorumsDiagnostics.InternalError, new SourceLocation(path, 0, 0, 0, 0, 0, 0), $"{e.GetType().Name}: {e.Message}");

    private sealed record ProtoSource(string Path, string Text, bool Generate);

    private sealed record ParsedProto(bool Generate, ProtoFileSyntax Syntax);
}
