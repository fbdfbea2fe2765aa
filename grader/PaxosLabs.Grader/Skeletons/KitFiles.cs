using System.Text;

namespace PaxosLabs.Grader.Skeletons;

/// <summary>File-system helpers shared by the generator: listing a tree and reading text safely.</summary>
public static class KitFiles
{
    /// <summary>Build and tool output folders, skipped at any depth.</summary>
    public static readonly IReadOnlySet<string> IgnoredDirectories =
        new HashSet<string>(["bin", "obj", "artifacts", "TestResults", ".vs"], StringComparer.OrdinalIgnoreCase);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Every file under <paramref name="directory"/> (hidden ones included), as paths relative to it
    /// with <c>/</c> separators, sorted ordinally; ignored folders and directory links are not entered.
    /// </summary>
    public static IReadOnlyList<string> List(string directory)
    {
        var files = new List<string>();
        if (Directory.Exists(directory))
        {
            Collect(directory, directory, files);
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Decodes UTF-8 text, remembering a byte-order mark. Returns false for binary content (a NUL
    /// byte or invalid UTF-8), which the generator copies untouched.
    /// </summary>
    public static bool TryDecode(byte[] bytes, out string text, out bool hasBom)
    {
        text = string.Empty;
        hasBom = bytes.AsSpan().StartsWith(Bom);
        var body = hasBom ? bytes.AsSpan(Bom.Length) : bytes.AsSpan();
        if (body.Contains((byte)0))
        {
            return false;
        }

        try
        {
            text = StrictUtf8.GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public static byte[] Encode(string text, bool withBom)
    {
        var body = StrictUtf8.GetBytes(text);
        return withBom ? [.. Bom, .. body] : body;
    }

    private static void Collect(string root, string directory, List<string> files)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
        {
            if (entry is DirectoryInfo sub)
            {
                if (!IgnoredDirectories.Contains(sub.Name) && sub.LinkTarget is null)
                {
                    Collect(root, sub.FullName, files);
                }
            }
            else
            {
                files.Add(Path.GetRelativePath(root, entry.FullName).Replace('\\', '/'));
            }
        }
    }
}
