using PaxosLabs.NetFault.Tests.Lab;

namespace PaxosLabs.NetFault.Tests;

/// <summary>
/// A fact that needs network namespaces: skipped, naming what is missing (root, Linux, the ip
/// tool, permission to make a namespace), where they cannot be made. The check makes and removes a
/// namespace once per test process.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetFaultFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(NetworkLab.Unavailable);

    public NetFaultFactAttribute()
    {
        if (Missing.Value is { } why)
        {
            Skip = $"The network fault test cannot run here: it {why.TrimEnd('.')}.";
        }
    }
}

/// <summary>
/// The long run: a <see cref="NetFaultFactAttribute"/> that also needs PAXOSLABS_NETFAULT_MINUTES
/// (it runs for that long and writes the report); skipped, saying so, when it is not set.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetFaultLongRunFactAttribute : FactAttribute
{
    public const string MinutesVariable = "PAXOSLABS_NETFAULT_MINUTES";

    public NetFaultLongRunFactAttribute()
    {
        Skip = new NetFaultFactAttribute().Skip
            ?? (Environment.GetEnvironmentVariable(MinutesVariable) is { Length: > 0 } ? null
                : $"The long network fault run writes docs/network-faults-report.md; set {MinutesVariable} (e.g. 30) to run it.");
    }
}
