using PaxosLabs.Simulation.Checkers;

namespace PaxosLabs.Simulation.Tests;

/// <summary>Short constructors for the histories of the linearizability tests.</summary>
internal static class LinearizabilityOps
{
    public const long Never = long.MaxValue;

    public static KvOperation Put(int client, string key, string value, long invoke, long ret) =>
        new(client, KvOpKind.Put, key, value, null, invoke, ret);

    public static KvOperation Append(int client, string key, string suffix, long invoke, long ret) =>
        new(client, KvOpKind.Append, key, suffix, null, invoke, ret);

    public static KvOperation Get(int client, string key, string? output, long invoke, long ret) =>
        new(client, KvOpKind.Get, key, "", output, invoke, ret);
}
