using System.Text;

namespace PaxosLabs.Node.Tests;

/// <summary>Collects what a demo prints, line by line; safe to read while the demo writes from other threads.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The complete lines printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                var text = _text.ToString();
                return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    /// <summary>Every line, for a failure message.</summary>
    public override string ToString() => string.Join('\n', Lines);
}
