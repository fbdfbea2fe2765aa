using System.Text.RegularExpressions;
using PaxosLabs.Testing;

namespace PaxosLabs.Node.Tests;

/// <summary>storage-demo for real: three storage servers over gRPC on 127.0.0.1, two of which stop.</summary>
public sealed class StorageDemoTests
{
    [Fact]
    public async Task Each_failed_call_names_each_failed_node_once_however_long_it_has_been_down()
    {
        var output = new LineWriter();
        var errors = new LineWriter();
        using var stop = new CancellationTokenSource();
        try
        {
            var exit = await Eventually.WithinAsync(StorageDemo.RunAsync(3, output, errors, stop.Token), "the storage demo to end");
            Assert.True(exit == 0, $"exit code {exit}; errors: {errors}");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var lines = output.Lines;
        for (var ts = 1; ts <= 4; ts++)
        {
            Assert.Contains(lines, l => l.StartsWith($"write ts={ts}: new=True; read: value-{ts} (ts={ts})", StringComparison.Ordinal));
        }

        // Node 2 stops before ts=3 and node 1 before ts=5: from then on no quorum answers.
        var failed = lines.Where(l => l.StartsWith("ts=", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 2 && failed[0].StartsWith("ts=5: quorum call ", StringComparison.Ordinal) && failed[1].StartsWith("ts=6: quorum call ", StringComparison.Ordinal),
            $"Expected the calls of ts=5 and ts=6, and only those, to fail. Output:\n{output}");
        foreach (var line in failed)
        {
            for (var id = 0; id < 3; id++)
            {
                var named = Regex.Count(line, $@"\bnode {id}\b");
                Assert.True(named <= 1, $"node {id} is named {named} times in one error line: {line}");
            }
        }

        Assert.True(Regex.Count(failed[1], @"\bnode 2\b") == 1, $"node 2 has been stopped since ts=3; the error of ts=6 must name it (once): {failed[1]}");
    }
}
