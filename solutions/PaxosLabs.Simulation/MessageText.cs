using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PaxosLabs.Simulation;

/// <summary>
/// A short text for any protobuf message of the kit, read through protobuf reflection by field
/// name, so one set of rules serves every stage: <c>rnd</c>/<c>crnd</c> → <c>r=3</c>, <c>slot</c> →
/// <c>s=7</c>, <c>from_slot</c> → <c>from s=5</c>, <c>vrnd</c> → <c>vote r=2</c> (or <c>no vote</c>),
/// a client request → <c>c0#4 put x="1"</c>, <c>is_noop</c> → <c>no-op</c>, lists counted
/// (<c>2 votes</c>, <c>batch of 3 […]</c>), strings quoted and cut with an ellipsis. Rounds and
/// slots come first; other fields follow in declaration order, unset ones left out.
/// </summary>
internal static class MessageText
{
    /// <summary>Strings inside a label are cut to this many characters.</summary>
    public const int ValueChars = 16;

    private const int BatchChars = 40;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The message type's name without a "Msg" suffix: PromiseMsg → Promise.</summary>
    public static string TypeName(IMessage message)
    {
        var name = message.Descriptor.Name;
        return name.Length > 3 && name.EndsWith("Msg", StringComparison.Ordinal) ? name[..^3] : name;
    }

    public static string Summary(IMessage message)
    {
        var tokens = new List<(int Rank, string Text)>();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (Field(message, field) is { } text)
            {
                tokens.Add((Rank(field.Name), text));
            }
        }

        return string.Join(' ', tokens.OrderBy(t => t.Rank).Select(t => t.Text));
    }

    private static int Rank(string name) => name switch
    {
        "rnd" or "crnd" or "timestamp" => 0,
        "slot" or "from_slot" => 1,
        _ => 2,
    };

    private static string? Field(IMessage message, FieldDescriptor field)
    {
        var value = field.Accessor.GetValue(message);
        if (field.IsMap)
        {
            return value is IDictionary { Count: > 0 } map ? $"{map.Count} {field.Name}" : null;
        }

        if (field.IsRepeated)
        {
            return value is IList { Count: > 0 } list ? Repeated(field.Name, list) : null;
        }

        return field.Name switch
        {
            "rnd" or "crnd" => "r=" + Round(value),
            "vrnd" => Convert.ToInt64(value, Inv) < 0 ? "no vote" : "vote r=" + Round(value),
            "slot" => $"s={value}",
            "from_slot" => $"from s={value}",
            "snapshot_slot" => IsUnset(value) ? null : $"snapshot to s={value}",
            "timestamp" => $"ts={value}",
            "is_noop" => value is true ? "no-op" : null,
            "client_id" => IsUnset(value) ? null : $"{value}#{Sibling(message, "client_seq")}",
            "client_seq" => IsUnset(value) || !IsUnset(Sibling(message, "client_id")) ? null : $"#{value}",
            "request" when field.FieldType == FieldType.Bool => value is true ? "request" : "reply",
            "from" or "to" => null, // the arrow's two ends say it
            "command" => value is IMessage command ? Command(command) : null,
            "error" => IsUnset(value) ? null : "error " + Quote(value),
            "val" or "vval" or "value" or "result" => value is IMessage inner ? Summary(inner) : IsUnset(value) ? null : Quote(value),
            _ => Other(field, value),
        };
    }

    /// <summary>A field without a rule of its own: name=value, true booleans by name, enums by name.</summary>
    private static string? Other(FieldDescriptor field, object? value) => value switch
    {
        null => null,
        bool b => b ? field.Name : null,
        Enum e => Lower(e),
        IMessage inner => $"{field.Name}{{{Summary(inner)}}}",
        _ when IsUnset(value) => null,
        string => $"{field.Name}={Quote(value)}",
        _ => $"{field.Name}={Convert.ToString(value, Inv)}",
    };

    private static string Repeated(string name, IList list) => name switch
    {
        "accepted" => list.Count == 1 ? "(1 vote)" : $"({list.Count} votes)",
        "decided" => $"({list.Count} decided)",
        "batch" => $"batch of {list.Count} [{HtmlTrace.Truncate(string.Join(", ", list.OfType<IMessage>().Select(Summary)), BatchChars)}]",
        _ => $"{list.Count} {name}",
    };

    /// <summary>A key-value command: get x, put x="1", append x+="ab".</summary>
    private static string Command(IMessage command)
    {
        var op = Sibling(command, "op");
        var key = Sibling(command, "key");
        if (op is not Enum kind || key is not string name)
        {
            return Summary(command);
        }

        var verb = Lower(kind);
        var argument = Sibling(command, "value") as string;
        return verb switch
        {
            "get" => $"get {name}",
            "append" => $"append {name}+={Quote(argument)}",
            _ => $"{verb} {name}={Quote(argument)}",
        };
    }

    private static object? Sibling(IMessage message, string name) =>
        message.Descriptor.FindFieldByName(name)?.Accessor.GetValue(message);

    private static string Round(object? value)
    {
        var round = Convert.ToInt64(value, Inv);
        return round < 0 ? "none" : round.ToString(Inv);
    }

    private static string Quote(object? value) => $"\"{HtmlTrace.Truncate(value as string, ValueChars)}\"";

    private static string Lower(Enum value) => value.ToString().ToLowerInvariant();

    private static bool IsUnset(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ByteString b => b.IsEmpty,
        bool b => !b,
        Enum => false,
        IConvertible number => Convert.ToDecimal(number, Inv) == 0,
        _ => false,
    };
}
