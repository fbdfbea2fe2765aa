using PaxosLabs.Gorums.Generator.Model;

namespace PaxosLabs.Gorums.Generator.Emit;

/// <summary>Writes the client side of a service: the quorum-function interface and the typed client.</summary>
internal static class ClientEmitter
{
    private const string TokenParameter = "cancellationToken";

    public static void EmitQSpec(CodeWriter w, ServiceSpec service)
    {
        w.Summary(
            $"The quorum functions of service <c>{service.FullName}</c>, one per quorum call and correctable call.",
            $"Implement this interface and pass it to <see cref=\"{service.ConfigurationClass}\"/>. A quorum function gets",
            "the request and the replies received so far (node id → reply), and it must not modify them.");
        w.Open($"public interface {service.QSpecInterface}");
        var first = true;
        foreach (var method in service.Methods.Where(m => m.HasQuorumFunction))
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            var replies = $"{Types.ReadOnlyDictionary}<uint, {method.Reply}>";
            if (method.Kind == CallKind.Correctable)
            {
                w.Summary(
                    $"The quorum function of {ServiceEmitter.Lower(ServiceEmitter.Describe(method))}.",
                    "Called after each reply: return the best result so far with its level (a higher level is a better",
                    "result; the caller sees each improvement), and Done once no better result can come.");
                Parameters(w, method);
                w.Line($"({method.Result}? Result, int Level, bool Done) {method.Name}QF({method.Request} request, {replies} replies);");
            }
            else
            {
                w.Summary(
                    $"The quorum function of {ServiceEmitter.Lower(ServiceEmitter.Describe(method))}.",
                    "Called after each reply: return Done with the call's result once the replies are enough.");
                Parameters(w, method);
                w.Line($"({method.Result}? Result, bool Done) {method.Name}QF({method.Request} request, {replies} replies);");
            }
        }

        w.Close();
    }

    public static void EmitConfiguration(CodeWriter w, ServiceSpec service)
    {
        var qspec = service.HasQuorumFunctions;
        w.Summary(
            $"The typed client of service <c>{service.FullName}</c>: one method per rpc, each calling the nodes",
            $"of <see cref=\"{service.ConfigurationClass}.Configuration\"/>.");
        w.Open($"public sealed partial class {service.ConfigurationClass}");
        if (qspec)
        {
            w.Summary("A client for the nodes of a configuration, with the quorum functions of <paramref name=\"qspec\"/>.");
            w.Open($"public {service.ConfigurationClass}({Types.Configuration} configuration, {service.QSpecInterface} qspec)");
            w.Line($"Configuration = configuration ?? throw new {Types.ArgumentNullException}(nameof(configuration));");
            w.Line($"QSpec = qspec ?? throw new {Types.ArgumentNullException}(nameof(qspec));");
        }
        else
        {
            w.Summary("A client for the nodes of a configuration.");
            w.Open($"public {service.ConfigurationClass}({Types.Configuration} configuration)");
            w.Line($"Configuration = configuration ?? throw new {Types.ArgumentNullException}(nameof(configuration));");
        }

        w.Close().Line();
        w.Summary("The nodes every call goes to.");
        w.Line($"public {Types.Configuration} Configuration {{ get; }}");
        if (qspec)
        {
            w.Line();
            w.Summary("The quorum functions of the quorum calls and correctable calls.");
            w.Line($"public {service.QSpecInterface} QSpec {{ get; }}");
            w.Line();
            w.Summary("The deadline of each quorum call and correctable call; null means the manager's <c>DefaultCallTimeout</c>.");
            w.Line($"public {Types.TimeSpan}? Timeout {{ get; init; }}");
        }

        foreach (var method in service.Methods)
        {
            w.Line();
            EmitCall(w, service, method);
        }

        w.Close();
    }

    private static void EmitCall(CodeWriter w, ServiceSpec service, MethodSpec method)
    {
        var rpc = $"{service.MethodsClass}.{ServiceEmitter.Id(method)}";
        var token = $"{Types.CancellationToken} {TokenParameter} = default";
        var perNode = method.PerNodeArg ? "perNode" : "null";
        var perNodeParameter = method.PerNodeArg ? $", {Types.PerNodeRequest}<{method.Request}> perNode" : string.Empty;
        var what = ServiceEmitter.Describe(method);
        switch (method.Kind)
        {
            case CallKind.QuorumCall:
                w.Summary(
                    $"{what}: sends the request to every node and completes with the result of",
                    $"<see cref=\"{service.QSpecInterface}.{method.Name}QF\"/> the first time it reports done.",
                    $"Fails with <see cref=\"{Types.QuorumCallException}\"/> when the replies cannot make a quorum,",
                    "when the call is cancelled or when its deadline passes.");
                CallParameters(w, method, "The request every node receives");
                w.Line($"public {Types.Task}<{method.Result}> {method.Name}Async({method.Request} request{perNodeParameter}, {token}) =>");
                w.Continued($"{Types.QuorumCall}.InvokeAsync(Configuration, {rpc}, request, QSpec.{method.Name}QF, {perNode}, Timeout, {TokenParameter});");
                break;
            case CallKind.Correctable:
                w.Summary(
                    $"{what}: sends the request to every node and yields a result each time",
                    $"<see cref=\"{service.QSpecInterface}.{method.Name}QF\"/> grades the replies higher than before; it ends",
                    "after the first result marked done or once every node has answered.");
                CallParameters(w, method, "The request every node receives");
                w.Line($"public {Types.AsyncEnumerable}<{Types.Correction}<{method.Result}>> {method.Name}Async({method.Request} request{perNodeParameter}, {token}) =>");
                w.Continued($"{Types.CorrectableCall}.InvokeAsync(Configuration, {rpc}, request, QSpec.{method.Name}QF, {perNode}, Timeout, {TokenParameter});");
                break;
            case CallKind.Multicast:
                w.Summary(
                    $"{what}: hands the request to every node's connection and",
                    "completes once every message is queued; no reply exists.");
                CallParameters(w, method, "The request every node receives");
                w.Line($"public {Types.Task} {method.Name}Async({method.Request} request{perNodeParameter}, {token}) =>");
                w.Continued($"{Types.OneWay}.MulticastAsync(Configuration, {rpc}, request, {perNode}, {TokenParameter});");
                break;
            default:
                w.Summary(
                    $"{what}: hands the request to one node's connection and",
                    "completes once the message is queued; no reply exists.");
                w.Doc("<param name=\"nodeId\">The node to send to; it must be in <see cref=\"Configuration\"/>.</param>");
                CallParameters(w, method, "The request the node receives");
                w.Line($"public {Types.Task} {method.Name}Async(uint nodeId, {method.Request} request, {token}) =>");
                w.Continued($"{Types.OneWay}.UnicastAsync(Configuration.GetNode(nodeId), {rpc}, request, {TokenParameter});");
                break;
        }
    }

    private static void Parameters(CodeWriter w, MethodSpec method)
    {
        w.Doc(
            $"<param name=\"request\">The request of the call (<c>{method.ProtoRequest}</c>).</param>",
            "<param name=\"replies\">The replies so far, by node id.</param>");
        if (method.ProtoCustomReturnType is { } custom)
        {
            w.Doc($"<returns>The result has the custom return type <c>{custom}</c>.</returns>");
        }
    }

    private static void CallParameters(CodeWriter w, MethodSpec method, string request)
    {
        w.Doc($"<param name=\"request\">{request}.</param>");
        if (method.PerNodeArg)
        {
            w.Doc("<param name=\"perNode\">Builds each node's request from <paramref name=\"request\"/> and the node id; null skips the node.</param>");
        }

        w.Doc($"<param name=\"{TokenParameter}\">Cancels the call.</param>");
    }
}
