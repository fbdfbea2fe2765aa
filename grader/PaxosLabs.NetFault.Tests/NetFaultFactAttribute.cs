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
