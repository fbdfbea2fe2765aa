using System.Runtime.Versioning;
using PaxosLabs.Grader.Grading;

namespace PaxosLabs.Grader.Tests.Grading;

/// <summary>The sandbox of a test run. The user mode needs root on Linux (CI has it); elsewhere these tests check that it says why not.</summary>
public sealed class TestSandboxTests : IDisposable
{
    private readonly TestTree _tree = new();

    public TestSandboxTests()
    {
        _tree.Write("built/Tests.dll", "not really an assembly");
        _tree.Write("built/sub/Data.json", "{}");
    }

    public void Dispose() => _tree.Dispose();

    private string Built => Path.Combine(_tree.Root, "built");

    [Fact]
    public void Each_run_gets_a_fresh_copy_of_the_built_tests_and_its_own_folders_deleted_afterwards()
    {
        string folder;
        using (var sandbox = TestSandbox.Create(SandboxMode.None, Built, "Tests.dll"))
        {
            folder = Path.GetDirectoryName(Path.GetDirectoryName(sandbox.Assembly)!)!;
            Assert.Equal("not really an assembly", File.ReadAllText(sandbox.Assembly));
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(sandbox.Assembly)!, "sub", "Data.json")));
            Assert.False(sandbox.Assembly.StartsWith(Built, StringComparison.Ordinal), "the run must not use the build output itself");
            Assert.True(Directory.Exists(sandbox.WorkDirectory) && Directory.Exists(sandbox.ResultsDirectory));
            Assert.NotEqual(sandbox.WorkDirectory, Path.GetDirectoryName(sandbox.Assembly));
            using var other = TestSandbox.Create(SandboxMode.None, Built, "Tests.dll");
            Assert.NotEqual(sandbox.WorkDirectory, other.WorkDirectory);
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Auto_is_resolved_before_a_sandbox_is_made()
    {
        Assert.Throws<ArgumentException>(() => TestSandbox.Create(SandboxMode.Auto, Built, "Tests.dll"));
    }

    [Fact]
    public void The_host_script_without_a_user_starts_dotnet_in_the_work_folder()
    {
        var script = TestSandbox.HostScript("/tmp/run", "/usr/bin/dotnet", userId: null);

        Assert.Contains("cd '/tmp/run/work'", script, StringComparison.Ordinal);
        Assert.Contains("exec '/usr/bin/dotnet' \"$@\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("setpriv", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_script_with_a_user_builds_a_view_without_the_kit_and_drops_to_that_user_for_good()
    {
        var script = TestSandbox.HostScript("/tmp/run", "/usr/bin/dotnet", userId: 61234);

        Assert.Contains("unshare --mount --propagation private", script, StringComparison.Ordinal);
        Assert.Contains("chroot \"$view\" setpriv --reuid=61234 --regid=61234 --clear-groups --no-new-privs", script, StringComparison.Ordinal);
        Assert.Contains("prlimit --nproc=4096:4096", script, StringComparison.Ordinal);
        Assert.Contains("mount --bind \"$run/tests\" \"$view$run/tests\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("/results", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_the_user_sandbox_where_it_is_impossible_says_why_and_auto_falls_back_with_a_note()
    {
        var whyNot = SandboxSupport.WhyNotUser();
        if (whyNot is null)
        {
            Assert.Equal((SandboxMode.User, null), SandboxSupport.Resolve(SandboxMode.Auto));
            Assert.Equal(SandboxMode.User, SandboxSupport.Resolve(SandboxMode.User).Mode);
        }
        else
        {
            Assert.Contains(whyNot, Assert.Throws<GraderException>(() => SandboxSupport.Resolve(SandboxMode.User)).Message, StringComparison.Ordinal);
            var (mode, note) = SandboxSupport.Resolve(SandboxMode.Auto);
            Assert.Equal(SandboxMode.None, mode);
            Assert.Contains("not isolated", note, StringComparison.Ordinal);
        }

        Assert.StartsWith("not isolated: the tests ran as the grader's own user (--sandbox none was given)", SandboxSupport.Resolve(SandboxMode.None).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void In_the_user_sandbox_the_test_host_sees_neither_the_kit_nor_the_results_and_every_process_it_left_is_ended()
    {
        if (!OperatingSystem.IsLinux() || SandboxSupport.WhyNotUser() is { } whyNot)
        {
            Assert.Throws<GraderException>(() => SandboxSupport.Resolve(SandboxMode.User));
            return;
        }

        using var sandbox = TestSandbox.Create(SandboxMode.User, Built, "Tests.dll");
        Assert.NotNull(sandbox.UserId);

        // The runner starts the host script as dotnet; any program shows what the view holds.
        var view = Shell(sandbox, $"id -u; ls {KitRepository.Root} 2>&1; ls {sandbox.ResultsDirectory} 2>&1; cat {sandbox.Assembly}; echo; pwd; touch {sandbox.Assembly} 2>&1; touch here && echo wrote");
        Assert.Equal(sandbox.UserId.ToString(), view[0]);
        Assert.Contains("No such file or directory", view[1], StringComparison.Ordinal);
        Assert.Contains("No such file or directory", view[2], StringComparison.Ordinal);
        Assert.Equal("not really an assembly", view[3]);
        Assert.Equal(sandbox.WorkDirectory, view[4]);
        Assert.Contains("Permission denied", view[5], StringComparison.Ordinal);
        Assert.Equal("wrote", view[6]);

        // A child that leaves its session and its environment behind is still the run's user's.
        Shell(sandbox, "setsid -f env -i sleep 600 </dev/null >/dev/null 2>&1; echo started");
        Assert.True(sandbox.EndProcesses() >= 1, "the detached sleep must have been found");
        Assert.Equal(0, sandbox.EndProcesses());
    }

    /// <summary>Runs a shell command the way the runner runs the test host: through the run's host script, in the view, as the run's user.</summary>
    [SupportedOSPlatform("linux")]
    private static IReadOnlyList<string> Shell(TestSandbox sandbox, string command)
    {
        var shell = Path.Combine(Path.GetDirectoryName(sandbox.HostPath)!, "shell.sh");
        Executable.Write(shell, sandbox.HostScriptFor("/bin/sh"));
        var run = ChildProcess.Run(shell, ["-c", command], "/", TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, string.Join('\n', run.Output));
        return run.Output;
    }
}
