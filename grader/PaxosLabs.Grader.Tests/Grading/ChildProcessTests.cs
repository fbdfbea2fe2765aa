using PaxosLabs.Testing;
using System.Diagnostics;
using System.Globalization;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>Runs small bash scripts as children (the kit's grading runs on Linux).</summary>
public sealed class ChildProcessTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private ChildResult Bash(string script, TimeSpan bound, string? log = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        ChildProcess.Run("bash", ["-c", script], Path.GetTempPath(), bound, log, environment);

    [Fact]
    public void A_child_that_outlives_its_bound_is_killed_and_reported_as_timed_out()
    {
        var result = Bash("sleep 30", TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        Assert.False(IsRunning(result.ProcessId), $"process {result.ProcessId} is still running");
        Assert.Contains(result.Output, l => l.StartsWith("[grader] killed after 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_whole_process_tree_is_killed()
    {
        // The child starts a grandchild, prints its id and waits for it.
        var result = Bash("sleep 31 & echo $!; wait", TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        var grandchild = int.Parse(result.Output[0], CultureInfo.InvariantCulture);
        await Eventually.WaitAsync(() => !IsRunning(grandchild), $"the grandchild {grandchild} to be gone");
    }

    [Fact]
    public void Exit_code_and_both_streams_are_captured_and_logged()
    {
        var log = Path.Combine(_folder, "logs", "child.log");

        var result = Bash("echo to-stdout; echo to-stderr >&2; exit 3", Generous, log);

        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["to-stderr", "to-stdout"], result.Output.Order(StringComparer.Ordinal));
        Assert.Equal(["to-stderr", "to-stdout"], File.ReadAllLines(log).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_child_that_writes_a_lot_to_both_pipes_does_not_block()
    {
        var log = Path.Combine(_folder, "big.log");

        var result = Bash("seq 1 100000; seq 1 100000 >&2", Generous, log);

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ChildProcess.MaxLines + 1, result.Output.Count);
        Assert.Equal($"[grader] {200_000 - ChildProcess.MaxLines} more line(s) not kept", result.Output[^1]);
        Assert.Equal(200_000, File.ReadLines(log).Count());
    }

    [Fact]
    public void Environment_variables_are_set_and_removed_for_the_child_only()
    {
        var removed = "PAXOSLABS_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(removed, "inherited");
        try
        {
            var result = Bash(
                $"echo \"${{PAXOSLABS_SET-unset}} ${{{removed}-unset}}\"",
                Generous,
                environment: new Dictionary<string, string?> { ["PAXOSLABS_SET"] = "set", [removed] = null });

            Assert.Equal(["set unset"], result.Output);
            Assert.Equal("inherited", Environment.GetEnvironmentVariable(removed));
        }
        finally
        {
            Environment.SetEnvironmentVariable(removed, null);
        }
    }

    [Fact]
    public void A_program_that_cannot_start_is_an_error_not_a_crash()
    {
        var error = Assert.Throws<GraderException>(() =>
            ChildProcess.Run(Path.Combine(_folder, "no-such-program"), [], Path.GetTempPath(), Generous));

        Assert.StartsWith("cannot start ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Whether a process with this id exists and is not a zombie waiting to be reaped.</summary>
    internal static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
