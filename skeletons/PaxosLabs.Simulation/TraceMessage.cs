using Google.Protobuf;

namespace PaxosLabs.Simulation;

/// <summary>
/// What a message of the trace carried: its method and its bytes, read (on first use only, so a
/// sweep pays nothing for it) into a short label that names the protocol's concepts, e.g.
/// <c>Accept r=3 s=7 c0#4 put x="1"</c>, and into its full content. The send, the deliveries and
/// the drops of one message share one instance.
/// </summary>
public sealed class TraceMessage
{
    /// <summary>The longest label; values inside it are cut sooner (<see cref="MessageText"/>).</summary>
    public const int MaxLabel = 72;

    private readonly ByteString _payload;
    private string? _label;
    private string? _content;

    /// <param name="method">The full method name, "package.Service/Method".</param>
    /// <param name="isReply">A reply: the label names the reply's message type (Promise, Learn, Response…).</param>
    /// <param name="payload">The serialized request or reply.</param>
    /// <param name="error">The error a failed handler sent back instead of a reply.</param>
    public TraceMessage(string method, bool isReply, ByteString payload, string? error = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        Method = method;
        IsReply = isReply;
        _payload = payload ?? ByteString.Empty;
        Error = string.IsNullOrEmpty(error) ? null : error;
    }

    /// <summary>"package.Service/Method".</summary>
    public string Method { get; }

    public bool IsReply { get; }

    /// <summary>The serialized request or reply.</summary>
    public ByteString Payload => _payload;

    public string? Error { get; }

    /// <summary>A short, one-line label: the request's method or the reply's type, then its rounds, slots, votes and values.</summary>
    public string Label
    {
        get
        {
            Decode();
            return _label!;
        }
    }

    /// <summary>Every field of the message (protobuf's JSON form) or the error; empty for a message without fields.</summary>
    public string Content
    {
        get
        {
            Decode();
            return _content!;
        }
    }

    public override string ToString() => Label;

    private void Decode()
    {
        if (_label is not null)
        {
            return;
        }

        var shortName = Method[(Method.LastIndexOf('/') + 1)..];
        if (Error is not null)
        {
            _content = "error: " + Error;
            _label = HtmlTrace.Truncate($"{shortName} error: {Error}", MaxLabel);
            return;
        }

        var method = ProtoMethods.Find(Method);
        var type = method is null ? null : IsReply ? method.OutputType : method.InputType;
        IMessage? message = null;
        try
        {
            message = type?.Parser?.ParseFrom(_payload);
        }
        catch (InvalidProtocolBufferException)
        {
            // A message that does not parse as its type keeps the method's name only.
        }

        if (message is null)
        {
            _content = _payload.IsEmpty ? "" : $"({_payload.Length} bytes)";
            _label = shortName;
            return;
        }

        var name = IsReply ? MessageText.TypeName(message) : shortName;
        var summary = MessageText.Summary(message);
        _label = HtmlTrace.Truncate(summary.Length == 0 ? name : $"{name} {summary}", MaxLabel);
        _content = message.CalculateSize() == 0 ? "" : message.ToString();
    }
}
