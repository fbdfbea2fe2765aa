using PaxosLabs.Gorums.Generator.Diagnostics;
using PaxosLabs.Gorums.Generator.Util;

namespace PaxosLabs.Gorums.Generator.Model;

internal enum CallKind
{
    QuorumCall,
    Correctable,
    Multicast,
    Unicast,
}

/// <summary>A checked, resolved service: everything the emitter needs and nothing more.</summary>
/// <param name="FileName">The .proto file's name ("storage.proto").</param>
/// <param name="FullName">"package.Service", the prefix of every method's full name.</param>
/// <param name="Namespace">The C# namespace, "" for the global namespace.</param>
internal sealed record ServiceSpec(string FileName, string Name, string FullName, string Namespace, EquatableArray<MethodSpec> Methods)
{
    public bool HasQuorumFunctions => Methods.Any(m => m.HasQuorumFunction);

    public string MethodsClass => $"{Name}Methods";

    public string QSpecInterface => $"I{Name}QSpec";

    public string ConfigurationClass => $"{Name}Configuration";

    public string ServerBaseClass => $"{Name}ServerBase";
}

/// <param name="Name">The rpc's name, used for the method field, the handler and the call method.</param>
/// <param name="Request">The request's C# type, global:: qualified; likewise the other types.</param>
/// <param name="Result">The quorum function's result: the custom return type, or else the reply.</param>
/// <param name="ProtoRequest">The request type as written in the .proto file; likewise the others.</param>
internal sealed record MethodSpec(
    string Name,
    CallKind Kind,
    bool Async,
    bool PerNodeArg,
    string Request,
    string Reply,
    string Result,
    string ProtoRequest,
    string ProtoReply,
    string? ProtoCustomReturnType)
{
    public bool HasQuorumFunction => Kind is CallKind.QuorumCall or CallKind.Correctable;

    public bool IsOneWay => Kind is CallKind.Multicast or CallKind.Unicast;
}

/// <summary>What the generator makes of one annotated .proto file.</summary>
internal sealed record FileResult(string Path, EquatableArray<ServiceSpec> Services, EquatableArray<DiagnosticInfo> Diagnostics);
