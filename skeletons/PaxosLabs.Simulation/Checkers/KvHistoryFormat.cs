using System.Globalization;
using System.Text;

namespace PaxosLabs.Simulation.Checkers;

/// <summary>
/// Compact, one-line text for operations and values, so an explanation of a violation reads like
/// the history itself: <c>c1 put(x, "a") [3..5]</c>, <c>c2 get(x) -> "a" [4..9]</c>.
/// </summary>
internal static class KvHistoryFormat
{
    // Appended values grow without bound; an explanation must stay readable, so long ones are cut.
    private const int MaxValueLength = 48;

    public static string Operation(KvOperation op)
    {
        var clientId = op.ClientId.ToString(CultureInfo.InvariantCulture);
        var interval = Interval(op);
        return op.Kind switch
        {
            KvOpKind.Get when op.Output is null => $"c{clientId} get({op.Key}) -> ? {interval}",
            KvOpKind.Get => $"c{clientId} get({op.Key}) -> {Value(op.Output)} {interval}",
            KvOpKind.Put => $"c{clientId} put({op.Key}, {Value(op.Argument)}) {interval}",
            KvOpKind.Append => $"c{clientId} append({op.Key}, {Value(op.Argument)}) {interval}",
            _ => $"c{clientId} {op.Kind}({op.Key}, {Value(op.Argument)}) {interval}",
        };
    }

    /// <summary>A quoted value with quotes, backslashes and control characters escaped.</summary>
    public static string Value(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxValueLength) + 8).Append('"');
        var shown = Math.Min(value.Length, MaxValueLength);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        text.Append('"');
        if (value.Length > MaxValueLength)
        {
            text.Append(CultureInfo.InvariantCulture, $"…(+{value.Length - MaxValueLength} chars)");
        }

        return text.ToString();
    }

    private static string Interval(KvOperation op) => op.Returned
        ? string.Create(CultureInfo.InvariantCulture, $"[{op.Invoke}..{op.Return}]")
        : string.Create(CultureInfo.InvariantCulture, $"[{op.Invoke}..never]");
}
