using Microsoft.CodeAnalysis;

namespace PaxosLabs.Gorums.Generator.Diagnostics;

/// <summary>
/// The errors the generator reports on .proto files. Each points at the offending token and names
/// the rpc, so that the message alone says what to fix.
/// </summary>
internal static class GorumsDiagnostics
{
    private const string Category = "Gorums";

    public static readonly DiagnosticDescriptor NoCallType = Error(
        "GORUMS001",
        "Rpc has no call type",
        "rpc '{0}' in service '{1}' has no call type: add one of the options (gorums.quorumcall), (gorums.correctable), (gorums.multicast) or (gorums.unicast)",
        "Every rpc of a service that uses gorums options needs exactly one call type.");

    public static readonly DiagnosticDescriptor ConflictingCallTypes = Error(
        "GORUMS002",
        "Rpc has more than one call type",
        "rpc '{0}' has more than one call type ({1}): keep exactly one",
        "An rpc is either a quorum call, a correctable call, a multicast or a unicast.");

    public static readonly DiagnosticDescriptor StreamNotSupported = Error(
        "GORUMS003",
        "Streaming rpc in a gorums service",
        "rpc '{0}' declares a stream: gorums calls send and receive single messages, remove 'stream'",
        "Quorum calls, multicasts and unicasts carry one message each way; streaming rpcs are not supported.");

    public static readonly DiagnosticDescriptor CustomReturnTypeOnOneWay = Error(
        "GORUMS004",
        "custom_return_type on a one-way call",
        "rpc '{0}' is a {1}, which returns nothing: (gorums.custom_return_type) applies only to quorum calls and correctable calls",
        "Only calls with a quorum function have a result whose type can be changed.");

    public static readonly DiagnosticDescriptor PerNodeArgOnUnicast = Error(
        "GORUMS005",
        "per_node_arg on a unicast",
        "rpc '{0}' is a unicast, which goes to a single node: (gorums.per_node_arg) applies only to quorum calls, correctable calls and multicasts",
        "A per-node argument chooses each node's message; a unicast has only one node.");

    public static readonly DiagnosticDescriptor UnknownType = Error(
        "GORUMS006",
        "Unknown message type",
        "rpc '{0}': unknown message type '{1}'{2}",
        "Message types must be defined in this file, in a file it imports, or be a supported well-known type.");

    public static readonly DiagnosticDescriptor UnknownOption = Error(
        "GORUMS007",
        "Unknown gorums option",
        "rpc '{0}': unknown option (gorums.{1}); the gorums options are quorumcall, async, correctable, multicast, unicast, custom_return_type and per_node_arg",
        "Only the method options declared in gorums.proto are understood.");

    public static readonly DiagnosticDescriptor SyntaxError = Error(
        "GORUMS008",
        "Proto syntax error",
        "Cannot read {0}: {1}",
        "The generator reads a subset of proto3 and could not make sense of this file.");

    public static readonly DiagnosticDescriptor InvalidOptionValue = Error(
        "GORUMS009",
        "Invalid gorums option value",
        "rpc '{0}': option (gorums.{1}) expects {2}, not {3}",
        "Boolean options take true or false; custom_return_type takes a quoted message name.");

    public static readonly DiagnosticDescriptor AsyncNotQuorumCall = Error(
        "GORUMS010",
        "async on a call that is not a quorum call",
        "rpc '{0}' is a {1}: (gorums.async) applies only to quorum calls",
        "The async option marks a quorum call; correctable calls, multicasts and unicasts cannot take it.");

    public static readonly DiagnosticDescriptor DuplicateRpc = Error(
        "GORUMS011",
        "Duplicate rpc name",
        "rpc '{0}' is declared more than once in service '{1}'",
        "Each rpc of a service needs its own name.");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "GORUMS099",
        "Internal generator error",
        "The gorums generator failed on this file: {0}",
        "A bug in the generator; the file was not generated.");

    private static readonly DiagnosticDescriptor[] All =
    [
        NoCallType, ConflictingCallTypes, StreamNotSupported, CustomReturnTypeOnOneWay, PerNodeArgOnUnicast,
        UnknownType, UnknownOption, SyntaxError, InvalidOptionValue, AsyncNotQuorumCall, DuplicateRpc, InternalError,
    ];

    public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: description);
}
