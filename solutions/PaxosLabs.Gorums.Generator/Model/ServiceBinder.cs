using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Proto;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Model;

/// <summary>
/// Checks the annotated services of one file and resolves their types. Services without gorums
/// options are left alone; an rpc with an error is reported and left out of the generated API.
/// </summary>
internal static class ServiceBinder
{
    public static FileResult Bind(ProtoFileSyntax file, IEnumerable<ProtoFileSyntax> allFiles)
    {
        if (file.SyntaxError is not null)
        {
            return new FileResult(file.Path, EquatableArray<ServiceSpec>.Empty, new[] { file.SyntaxError }.ToEquatableArray());
        }

        var types = new TypeTable(file, allFiles);
        var diagnostics = new List<DiagnosticInfo>();
        var services = new List<ServiceSpec>();
        var serviceNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in file.Services.Where(s => s.Rpcs.Any(r => r.Options.Any(GorumsOptions.IsGorumsOption))))
        {
            if (!serviceNames.Add(service.Name))
            {
                continue; // protoc reports the duplicate service; one generated API per name
            }

            var methods = new List<MethodSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rpc in service.Rpcs)
            {
                if (!names.Add(rpc.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.DuplicateRpc, rpc.Location, rpc.Name, service.Name));
                    continue;
                }

                if (BindRpc(service, rpc, types, diagnostics) is { } method)
                {
                    methods.Add(method);
                }
            }

            var fullName = file.Package.Length == 0 ? service.Name : $"{file.Package}.{service.Name}";
            services.Add(new ServiceSpec(file.FileName, service.Name, fullName, file.EffectiveNamespace, methods.ToEquatableArray()));
        }

        return new FileResult(file.Path, services.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static MethodSpec? BindRpc(ServiceSyntax service, RpcSyntax rpc, TypeTable types, List<DiagnosticInfo> diagnostics)
    {
        var before = diagnostics.Count;
        var options = GorumsOptions.Read(rpc, diagnostics);
        var optionErrors = diagnostics.Count > before; // a mistyped option already explains a missing call type
        foreach (var stream in rpc.StreamLocations)
        {
            diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.StreamNotSupported, stream, rpc.Name));
        }

        var kinds = options.CallKinds();
        var kind = kinds.Count > 0 ? kinds[0] : CallKind.QuorumCall;
        if (kinds.Count == 0)
        {
            if (!optionErrors)
            {
                diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.NoCallType, rpc.Location, rpc.Name, service.Name));
            }
        }
        else if (kinds.Count > 1)
        {
            var location = options.LocationOf(GorumsOptions.OptionName(kinds[1]), rpc.Location);
            diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.ConflictingCallTypes, location, rpc.Name, string.Join(", ", kinds.Select(GorumsOptions.OptionName))));
        }
        else
        {
            CheckModifiers(rpc, kind, options, diagnostics);
        }

        var request = ResolveType(rpc, rpc.Request.Name, rpc.Request.Location, types, diagnostics);
        var reply = ResolveType(rpc, rpc.Reply.Name, rpc.Reply.Location, types, diagnostics);
        var result = options.CustomReturnType is { } custom
            ? ResolveType(rpc, custom.Text, custom.Location, types, diagnostics)
            : reply;
        if (diagnostics.Count > before || request is null || reply is null || result is null)
        {
            return null;
        }

        return new MethodSpec(
            rpc.Name,
            kind,
            options.Async,
            options.PerNodeArg,
            request,
            reply,
            result,
            rpc.Request.Name,
            rpc.Reply.Name,
            options.CustomReturnType?.Text);
    }

    private static void CheckModifiers(RpcSyntax rpc, CallKind kind, GorumsOptions options, List<DiagnosticInfo> diagnostics)
    {
        var kindName = Describe(kind);
        if (options.Async && kind != CallKind.QuorumCall)
        {
            diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.AsyncNotQuorumCall, options.LocationOf("async", rpc.Location), rpc.Name, kindName));
        }

        if (options.CustomReturnType is not null && kind is CallKind.Multicast or CallKind.Unicast)
        {
            diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.CustomReturnTypeOnOneWay, options.LocationOf("custom_return_type", rpc.Location), rpc.Name, kindName));
        }

        if (options.PerNodeArg && kind == CallKind.Unicast)
        {
            diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.PerNodeArgOnUnicast, options.LocationOf("per_node_arg", rpc.Location), rpc.Name));
        }
    }

    private static string? ResolveType(RpcSyntax rpc, string name, SourceLocation location, TypeTable types, List<DiagnosticInfo> diagnostics)
    {
        if (types.Resolve(name) is { } resolved)
        {
            return resolved;
        }

        var hint = types.DefinedElsewhere(name) is { } file ? $" (it is defined in {file}, which this file does not import)" : string.Empty;
        diagnostics.Add(DiagnosticInfo.Create(GorumsDiagnostics.UnknownType, location, rpc.Name, name, hint));
        return null;
    }

    public static string Describe(CallKind kind) => kind switch
    {
        CallKind.QuorumCall => "quorum call",
        CallKind.Correctable => "correctable call",
        CallKind.Multicast => "multicast",
        _ => "unicast",
    };
}
