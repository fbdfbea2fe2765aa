using PaxosLabs.Gorums.Generator.Proto;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Model;

/// <summary>
/// The message types one file can use: its own, those of the files it imports, and the
/// well-known types of Google.Protobuf. Names resolve as protoc resolves them: relative to the
/// file's package, then to each enclosing package, then from the root.
/// </summary>
internal sealed class TypeTable
{
    private static readonly string[] WellKnownTypes =
    [
        "Any", "BoolValue", "BytesValue", "DoubleValue", "Duration", "Empty", "FieldMask", "FloatValue",
        "Int32Value", "Int64Value", "ListValue", "StringValue", "Struct", "Timestamp", "UInt32Value",
        "UInt64Value", "Value",
    ];

    private readonly Dictionary<string, string> _visible = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _elsewhere = new(StringComparer.Ordinal);
    private readonly string _package;

    public TypeTable(ProtoFileSyntax file, IEnumerable<ProtoFileSyntax> allFiles)
    {
        _package = file.Package;
        foreach (var name in WellKnownTypes)
        {
            _visible[$"google.protobuf.{name}"] = $"global::Google.Protobuf.WellKnownTypes.{name}";
        }

        foreach (var other in allFiles)
        {
            var visible = other.Path == file.Path || file.Imports.Any(i => IsImportOf(i, other.Path));
            foreach (var message in other.Messages)
            {
                var fullName = other.Package.Length == 0 ? message : $"{other.Package}.{message}";
                var target = visible ? _visible : _elsewhere;
                if (!target.ContainsKey(fullName))
                {
                    target[fullName] = visible ? Naming.CSharpMessageName(other.EffectiveNamespace, message) : other.FileName;
                }
            }
        }
    }

    /// <summary>The global:: qualified C# type of a message name as written, or null.</summary>
    public string? Resolve(string name) => Lookup(_visible, name);

    /// <summary>The file that defines a name this file cannot see (it does not import it), or null.</summary>
    public string? DefinedElsewhere(string name) => Lookup(_elsewhere, name);

    private string? Lookup(Dictionary<string, string> table, string name)
    {
        if (name.StartsWith(".", StringComparison.Ordinal))
        {
            return table.TryGetValue(name.Substring(1), out var exact) ? exact : null;
        }

        var scope = _package;
        while (true)
        {
            var candidate = scope.Length == 0 ? name : $"{scope}.{name}";
            if (table.TryGetValue(candidate, out var found))
            {
                return found;
            }

            if (scope.Length == 0)
            {
                return null;
            }

            var dot = scope.LastIndexOf('.');
            scope = dot < 0 ? string.Empty : scope.Substring(0, dot);
        }
    }

    /// <summary>Whether an import path ("storage.proto", "sub/x.proto") names the file at this path.</summary>
    private static bool IsImportOf(string import, string path)
    {
        var normalizedPath = path.Replace('\\', '/');
        var normalizedImport = import.Replace('\\', '/');
        return normalizedPath == normalizedImport || normalizedPath.EndsWith("/" + normalizedImport, StringComparison.Ordinal);
    }
}
