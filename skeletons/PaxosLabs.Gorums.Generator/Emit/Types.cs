namespace PaxosLabs.Gorums.Generator.Emit;

/// <summary>The framework and system types the generated code names, global:: qualified.</summary>
internal static class Types
{
    public const string RpcMethod = "global::PaxosLabs.Gorums.RpcMethod";
    public const string Configuration = "global::PaxosLabs.Gorums.Configuration";
    public const string QuorumCall = "global::PaxosLabs.Gorums.QuorumCall";
    public const string CorrectableCall = "global::PaxosLabs.Gorums.CorrectableCall";
    public const string OneWay = "global::PaxosLabs.Gorums.OneWay";
    public const string Correction = "global::PaxosLabs.Gorums.Correction";
    public const string PerNodeRequest = "global::PaxosLabs.Gorums.PerNodeRequest";
    public const string QuorumCallException = "global::PaxosLabs.Gorums.QuorumCallException";
    public const string GorumsService = "global::PaxosLabs.Gorums.Server.IGorumsService";
    public const string ServiceRegistry = "global::PaxosLabs.Gorums.Server.ServiceRegistry";
    public const string ServerContext = "global::PaxosLabs.Gorums.Server.ServerContext";
    public const string Task = "global::System.Threading.Tasks.Task";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string TimeSpan = "global::System.TimeSpan";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string ReadOnlyDictionary = "global::System.Collections.Generic.IReadOnlyDictionary";
    public const string AsyncEnumerable = "global::System.Collections.Generic.IAsyncEnumerable";
}
