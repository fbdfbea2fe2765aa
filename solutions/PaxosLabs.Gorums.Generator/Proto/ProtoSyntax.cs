using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Proto;

/// <summary>What the generator reads from one .proto file.</summary>
/// <param name="Path">The file's path, as the compiler gave it.</param>
/// <param name="Package">The package, "" when the file has none.</param>
/// <param name="CSharpNamespace">The csharp_namespace option, null when absent.</param>
/// <param name="Imports">The imported paths, as written.</param>
/// <param name="Messages">Every message name relative to the package, nested ones dotted ("Outer.Inner").</param>
/// <param name="SyntaxError">Set when the file could not be read to its end.</param>
internal sealed record ProtoFileSyntax(
    string Path,
    string Package,
    string? CSharpNamespace,
    EquatableArray<string> Imports,
    EquatableArray<string> Messages,
    EquatableArray<ServiceSyntax> Services,
    DiagnosticInfo? SyntaxError)
{
    public string FileName => Naming.FileName(Path);

    /// <summary>The namespace of the C# code for this file, as protoc chooses it.</summary>
    public string EffectiveNamespace => CSharpNamespace ?? Naming.NamespaceFromPackage(Package);
}

internal sealed record ServiceSyntax(string Name, SourceLocation Location, EquatableArray<RpcSyntax> Rpcs);

/// <param name="StreamLocations">Where each 'stream' keyword of the rpc is.</param>
internal sealed record RpcSyntax(
    string Name,
    SourceLocation Location,
    TypeReference Request,
    TypeReference Reply,
    EquatableArray<SourceLocation> StreamLocations,
    EquatableArray<OptionSyntax> Options);

/// <summary>A message type as written: "State", "pkg.State" or ".pkg.State".</summary>
internal sealed record TypeReference(string Name, SourceLocation Location);

/// <summary>
/// An option statement. For an extension, <see cref="Name"/> is what is inside the parentheses
/// without a leading dot ("gorums.quorumcall") and <see cref="IsExtension"/> is set.
/// </summary>
internal sealed record OptionSyntax(string Name, bool IsExtension, OptionValue Value, SourceLocation Location);

internal enum OptionValueKind
{
    Identifier,
    String,
    Number,
    Aggregate,
}

internal sealed record OptionValue(OptionValueKind Kind, string Text, SourceLocation Location);
