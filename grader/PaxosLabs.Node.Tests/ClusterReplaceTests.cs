using System.Diagnostics;
using PaxosLabs.Testing;

namespace PaxosLabs.Node.Tests;

/// <summary>
/// <c>cluster --replace-at-s</c> for real (stage 6): three replicas over gRPC on 127.0.0.1 under load;
/// the leader is killed, then replaced by a new replica through a reconfiguration. The run must end
/// with the new configuration running, no failed operation and the live replicas' logs agreeing.
/// </summary>
public sealed class ClusterReplaceTests
{
    [Fact]
    public async Task A_killed_leader_is_replaced_by_a_new_replica_and_the_logs_agree()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaxosLabs.Node.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "cluster", "--replicas", "3", "--duration-s", "10", "--kill-leader-at-s", "3", "--replace-at-s", "5" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.WithinAsync(process.WaitForExitAsync(), "cluster --replace-at-s 5 --duration-s 10 to end", TimeSpan.FromSeconds(120));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"cluster exited with {process.ExitCode}:\n{text}");
        Assert.Contains("-- killing replica 3, the leader (on schedule)", text, StringComparison.Ordinal);
        Assert.Contains("replacing replica 3: reconfigure to {1, 2, 4}", text, StringComparison.Ordinal);
        Assert.Matches(@"-- the change ran: configuration \{1, 2, 4\} from slot \d+", text);
        Assert.Matches(@", 0 failed; latency", text);
        Assert.Matches(@"check: the logs of the 3 live replicas agree in all \d+ slots they have all decided \(adu 1: \d+, 2: \d+, 4: \d+\)", text);
    }
}
