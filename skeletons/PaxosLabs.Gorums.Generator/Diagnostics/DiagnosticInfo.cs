using Microsoft.CodeAnalysis;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Diagnostics;

/// <summary>A diagnostic to report, kept as plain values until the output step.</summary>
internal sealed record DiagnosticInfo(string Id, SourceLocation Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(GorumsDiagnostics.ById(Id), Location.ToLocation(), Arguments.Cast<object>().ToArray());
}
