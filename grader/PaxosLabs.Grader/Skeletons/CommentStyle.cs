namespace PaxosLabs.Grader.Skeletons;

/// <summary>
/// How markers are written in one kind of file. Task markers exist only where a student edits
/// code (C# and protobuf); the other styles know the instructor markers alone.
/// </summary>
public sealed class CommentStyle
{
    public static readonly CommentStyle CSharp = new("//", null, supportsTasks: true, defaultStubThrows: true);

    // A throw statement would not compile in a .proto file, so a protobuf region without STUB
    // leaves only its TODO comment.
    public static readonly CommentStyle Proto = new("//", null, supportsTasks: true, defaultStubThrows: false);

    public static readonly CommentStyle Xml = new("<!--", "-->", supportsTasks: false, defaultStubThrows: false);

    public static readonly CommentStyle Hash = new("#", null, supportsTasks: false, defaultStubThrows: false);

    private static readonly Dictionary<string, CommentStyle> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = CSharp,
        [".proto"] = Proto,
        [".csproj"] = Xml,
        [".props"] = Xml,
        [".targets"] = Xml,
        [".xml"] = Xml,
        [".md"] = Xml,
        [".sh"] = Hash,
        [".yml"] = Hash,
        [".yaml"] = Hash,
    };

    private CommentStyle(string open, string? close, bool supportsTasks, bool defaultStubThrows)
    {
        Open = open;
        Close = close;
        SupportsTasks = supportsTasks;
        DefaultStubThrows = defaultStubThrows;
    }

    /// <summary>What starts a comment: <c>//</c>, <c>&lt;!--</c> or <c>#</c>.</summary>
    public string Open { get; }

    /// <summary>What ends a comment (<c>--&gt;</c>), or null for comments that run to the end of the line.</summary>
    public string? Close { get; }

    /// <summary>Whether task markers (BEGIN/END TODO, STUB, one-line STUB TODO) are recognized.</summary>
    public bool SupportsTasks { get; }

    /// <summary>Whether a region without a STUB section becomes a <c>throw new NotImplementedException(...)</c>.</summary>
    public bool DefaultStubThrows { get; }

    /// <summary>The style for a file name, or null for files the generator copies without looking inside.</summary>
    public static CommentStyle? ForPath(string path) =>
        ByExtension.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>
    /// If the whole line (ignoring surrounding whitespace) is one comment, returns its text without
    /// the comment delimiters and without surrounding whitespace.
    /// </summary>
    public bool TryGetCommentText(string line, out string text)
    {
        text = string.Empty;
        var trimmed = line.Trim();
        if (!trimmed.StartsWith(Open, StringComparison.Ordinal))
        {
            return false;
        }

        var body = trimmed[Open.Length..];
        if (Close is not null)
        {
            if (!body.EndsWith(Close, StringComparison.Ordinal))
            {
                return false;
            }

            body = body[..^Close.Length];
        }

        text = body.Trim();
        return true;
    }
}
