using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Proto;

namespace PaxosLabs.Gorums.Generator.Model;

/// <summary>The gorums options of one rpc (see protos/gorums.proto), read and checked one by one.</summary>
internal sealed class GorumsOptions
{
    private const string Prefix = "gorums.";

    private readonly Dictionary<string, OptionSyntax> _set = new(StringComparer.Ordinal);

    public bool QuorumCall { get; private set; }

    public bool Async { get; private set; }

    public bool Correctable { get; private set; }

    public bool Multicast { get; private set; }

    public bool Unicast { get; private set; }

    public bool PerNodeArg { get; private set; }

    public OptionValue? CustomReturnType { get; private set; }

    public static bool IsGorumsOption(OptionSyntax option) =>
        option.IsExtension && option.Name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Reads the rpc's gorums options; problems with single options go to <paramref name="diagnostics"/>.</summary>
    public static GorumsOptions Read(RpcSyntax rpc, List<DiagnosticInfo> diagnostics)
    {
        var options = new GorumsOptions();
        foreach (var option in rpc.Options.Where(IsGorumsOption))
        {
            var name = option.Name.Substring(Prefix.Length);
            options._set[name] = option;
            switch (name)
            {
                case "quorumcall":
                    options.QuorumCall = Bool(rpc, name, option, diagnostics);
                    break;
                case "async":
                    options.Async = Bool(rpc, name, option, diagnostics);
                    break;
                case "correctable":
                    options.Correctable = Bool(rpc, name, option, diagnostics);
                    break;
                case "multicast":
                    options.Multicast = Bool(rpc, name, option, diagnostics);
                    break;
                case "unicast":
                    options.Unicast = Bool(rpc, name, option, diagnostics);
                    break;
                case "per_node_arg":
                    options.PerNodeArg = Bool(rpc, name, option, diagnostics);
                    break;
                case "custom_return_type":
                    if (option.Value.Kind == OptionValueKind.String && option.Value.Text.Length > 0)
                    {
                        options.CustomReturnType = option.Value;
                    }
                    else
                    {
                        diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.InvalidOptionValue, option.Value.Location, rpc.Name, name, "a quoted message name", Describe(option.Value)));
                    }

                    break;
                default:
                    diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.UnknownOption, option.Location, rpc.Name, name));
                    break;
            }
        }

        return options;
    }

    /// <summary>The call types set to true, in the order gorums.proto lists them.</summary>
    public IReadOnlyList<CallKind> CallKinds()
    {
        var kinds = new List<CallKind>();
        if (QuorumCall || (Async && !Correctable && !Multicast && !Unicast))
        {
            kinds.Add(CallKind.QuorumCall); // async alone is a quorum call, as in Gorums
        }

        if (Correctable)
        {
            kinds.Add(CallKind.Correctable);
        }

        if (Multicast)
        {
            kinds.Add(CallKind.Multicast);
        }

        if (Unicast)
        {
            kinds.Add(CallKind.Unicast);
        }

        return kinds;
    }

    /// <summary>Where an option is written; <paramref name="fallback"/> when it is not set.</summary>
    public SourceLocation LocationOf(string name, SourceLocation fallback) =>
        _set.TryGetValue(name, out var option) ? option.Location : fallback;

    public static string OptionName(CallKind kind) => kind switch
    {
        CallKind.QuorumCall => "quorumcall",
        CallKind.Correctable => "correctable",
        CallKind.Multicast => "multicast",
        _ => "unicast",
    };

    private static bool Bool(RpcSyntax rpc, string name, OptionSyntax option, List<DiagnosticInfo> diagnostics)
    {
        if (option.Value.Kind == OptionValueKind.Identifier && option.Value.Text is "true" or "false")
        {
            return option.Value.Text == "true";
        }

        diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.InvalidOptionValue, option.Value.Location, rpc.Name, name, "true or false", Describe(option.Value)));
        return false;
    }

    private static string Describe(OptionValue value) =>
        value.Kind == OptionValueKind.String ? $"\"{value.Text}\"" : value.Text;
}
