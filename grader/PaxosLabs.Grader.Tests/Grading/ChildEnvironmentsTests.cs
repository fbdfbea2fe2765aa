using System.Collections;
using System.Globalization;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

public sealed class ChildEnvironmentsTests
{
    [Fact]
    public void A_test_run_gets_no_secrets_no_seed_no_step_summary_and_its_marker()
    {
        var current = new Hashtable
        {
            ["GITHUB_TOKEN"] = "ghs_x",
            ["ACTIONS_RUNTIME_TOKEN"] = "x",
            ["NUGET_API_KEY"] = "x",
            ["DB_PASSWORD"] = "x",
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/home/ta",
        };

        var environment = ChildEnvironments.TestRun("m1", current);

        Assert.All(["GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "NUGET_API_KEY", "DB_PASSWORD", "PAXOSLABS_SEED", "PAXOSLABS_SEEDS", "GITHUB_STEP_SUMMARY"],
            name => Assert.Null(environment[name]));
        Assert.False(environment.ContainsKey("PATH"));
        Assert.False(environment.ContainsKey("HOME"));
        Assert.Equal("m1", environment[LeftoverProcesses.MarkerVariable]);
    }

    [Fact]
    public void A_process_left_behind_by_a_run_is_found_by_its_marker_and_killed()
    {
        var marker = LeftoverProcesses.NewMarker();
        var environment = new Dictionary<string, string?> { [LeftoverProcesses.MarkerVariable] = marker };

        // The child starts a detached grandchild (its own session, no shared pipes) and exits at once.
        var run = ChildProcess.Run("bash", ["-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"], Path.GetTempPath(), TimeSpan.FromSeconds(30), environment: environment);
        var pid = int.Parse(run.Output[0], CultureInfo.InvariantCulture);
        Assert.True(ChildProcessTests.IsRunning(pid), "the grandchild should outlive its parent");

        Assert.Equal(1, LeftoverProcesses.Kill(marker));
        Assert.False(ChildProcessTests.IsRunning(pid), $"process {pid} is still running");
        Assert.Equal(0, LeftoverProcesses.Kill(marker));
    }
}
