using System.Text;

namespace PaxosLabs.Gorums.Generator.Emit;

/// <summary>Writes indented C# lines; line endings are always "\n" so output is the same everywhere.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>A /// comment: one line per element of <paramref name="lines"/>.</summary>
    public CodeWriter Doc(params string[] lines)
    {
        foreach (var line in lines)
        {
            Line("/// " + line);
        }

        return this;
    }

    public CodeWriter Summary(params string[] lines)
    {
        if (lines.Length == 1)
        {
            return Line($"/// <summary>{lines[0]}</summary>");
        }

        Line("/// <summary>");
        Doc(lines);
        return Line("/// </summary>");
    }

    public CodeWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close()
    {
        _indent--;
        return Line("}");
    }

    /// <summary>Continues a statement on the next line, one level deeper.</summary>
    public CodeWriter Continued(string line)
    {
        _indent++;
        Line(line);
        _indent--;
        return this;
    }

    public override string ToString() => _text.ToString();
}
