using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace PaxosLabs.Gorums.Generator.Util;

/// <summary>Name conversions between protobuf and C#, as protoc's C# plugin does them.</summary>
internal static class Naming
{
    /// <summary>
    /// The C# namespace protoc derives from a package when csharp_namespace is absent: each
    /// dot-separated part in PascalCase, underscores dropped ("foo.bar_baz" → "Foo.BarBaz").
    /// </summary>
    public static string NamespaceFromPackage(string package)
    {
        var result = new StringBuilder(package.Length);
        var capitalizeNext = true;
        foreach (var c in package)
        {
            if (c == '.')
            {
                result.Append('.');
                capitalizeNext = true;
            }
            else if (c is >= 'a' and <= 'z')
            {
                result.Append(capitalizeNext ? (char)(c - 'a' + 'A') : c);
                capitalizeNext = false;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                result.Append(c);
                capitalizeNext = false;
            }
            else if (c is >= '0' and <= '9')
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The C# name of a message: nested messages live in their parent's Types class, and the
    /// whole name is global:: qualified ("Outer.Inner" in N → "global::N.Outer.Types.Inner").
    /// </summary>
    public static string CSharpMessageName(string csharpNamespace, string messagePath)
    {
        var nested = messagePath.Replace(".", ".Types.");
        return csharpNamespace.Length == 0 ? $"global::{nested}" : $"global::{csharpNamespace}.{nested}";
    }

    /// <summary>An identifier usable in C#: a keyword gets an @ prefix.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The file name of a path, whatever its separators.</summary>
    public static string FileName(string path)
    {
        var cut = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(cut + 1);
    }
}
