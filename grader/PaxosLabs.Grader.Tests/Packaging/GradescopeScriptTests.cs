using System.Runtime.Versioning;
using System.Text.Json;
using PaxosLabs.Grader.Grading;
using PaxosLabs.Grader.Packaging;
using PaxosLabs.Grader.Tests.Reports;

namespace PaxosLabs.Grader.Tests.Packaging;

/// <summary>
/// setup.sh and run_autograder, run by bash in a simulated /autograder layout (<c>AUTOGRADER_ROOT</c>)
/// with stand-ins for dotnet, apt-get, curl and ln that log their arguments: what each script does
/// in every branch, in a second, without installing or building anything.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class GradescopeScriptTests : IDisposable
{
    private static readonly GradescopeSettings Settings = new("hidden", 60, 30, SandboxMode.None);

    /// <summary>
    /// dotnet: <c>--version</c> works once <c>$FAKE_STATE/sdk</c> exists; <c>build</c> notes whether the
    /// overlay it builds against holds the skeletons; <c>run … grade … --out DIR</c> writes a results.json
    /// there when <c>FAKE_REPORT</c> is set, and exits <c>FAKE_EXIT</c>.
    /// </summary>
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        echo "dotnet $*" >> "$FAKE_LOG"
        case "$1" in
          --version) [ -e "$FAKE_STATE/sdk" ] && { echo 10.0.100; exit 0; }; echo "no SDK matches global.json" >&2; exit 1 ;;
          build)
            for a in "$@"; do
              case "$a" in -p:Impl=*) [ -f "${a#-p:Impl=}/P/A.cs" ] && echo "overlay holds the skeletons" >> "$FAKE_LOG" ;; esac
            done ;;
          run)
            out=""; previous=""
            for a in "$@"; do [ "$previous" = "--out" ] && out="$a"; previous="$a"; done
            if [ -n "${FAKE_REPORT:-}" ]; then mkdir -p "$out" && printf '%s\n' "$FAKE_REPORT" > "$out/results.json"; fi
            exit "${FAKE_EXIT:-0}" ;;
        esac
        """;

    /// <summary>curl -o FILE: an installer that logs its arguments and makes the SDK "present".</summary>
    private const string FakeCurl = """
        #!/usr/bin/env bash
        echo "curl $*" >> "$FAKE_LOG"
        previous=""; for a in "$@"; do [ "$previous" = "-o" ] && out="$a"; previous="$a"; done
        printf '#!/usr/bin/env bash\necho "installer $*" >> "$FAKE_LOG"\ntouch "$FAKE_STATE/sdk"\n' > "$out"
        """;

    private const string Logger = """
        #!/usr/bin/env bash
        echo "$(basename "$0") $*" >> "$FAKE_LOG"
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paxoslabs-grader-tests", "scripts-" + Guid.NewGuid().ToString("N"));

    public GradescopeScriptTests()
    {
        Write("autograder/source/kit/skeletons/P/A.cs", "class A { }\n");
        Write("autograder/source/kit/global.json", "{ }\n");
        Write("autograder/submission/src/P/A.cs", "class A { }\n");
        Directory.CreateDirectory(State);
        Tool("dotnet", FakeDotnet);
        Tool("curl", FakeCurl);
        Tool("apt-get", Logger);
        Tool("ln", Logger);
    }

    private string Root => Path.Combine(_folder, "autograder");

    private string Kit => Path.Combine(Root, "source", "kit");

    private string State => Path.Combine(_folder, "state");

    private string Log => Path.Combine(_folder, "log");

    private string Results => Path.Combine(Root, "results", "results.json");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Both_scripts_are_valid_bash()
    {
        var setup = Script("setup.sh", GradescopeScripts.Setup());
        var run = Script("run_autograder", GradescopeScripts.RunAutograder(Settings));

        Assert.Equal(0, ChildProcess.Run("bash", ["-n", setup, run], _folder, TimeSpan.FromSeconds(60)).ExitCode);
    }

    [Fact]
    public void Setup_with_a_dotnet_that_accepts_global_json_installs_nothing_and_builds_the_grader_then_the_hidden_tests_on_the_overlay()
    {
        File.WriteAllText(Path.Combine(State, "sdk"), "");

        var result = Run("setup.sh", GradescopeScripts.Setup());

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        var overlay = Path.Combine(Kit, ".grade", GradescopeScripts.SubmissionName);
        Assert.Equal(
            [
                "dotnet --version",
                "dotnet --version",
                "dotnet build grader/PaxosLabs.Grader -nologo -v:q",
                $"dotnet build grader/PaxosLabs.HiddenTests -p:Impl={overlay} -nologo -v:q",
                "overlay holds the skeletons",
            ],
            File.ReadAllLines(Log));
        Assert.False(Directory.Exists(overlay), "grade makes the overlay anew; setup must not leave one");
        Assert.Contains("the autograder is ready", result.Output);
    }

    [Fact]
    public void Setup_without_a_dotnet_that_accepts_global_json_installs_the_sdk_it_names_first()
    {
        var result = Run("setup.sh", GradescopeScripts.Setup());

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        var log = File.ReadAllLines(Log);
        Assert.Equal("dotnet --version", log[0]);
        Assert.Equal("apt-get update", log[1]);
        Assert.StartsWith("apt-get install -y --no-install-recommends ca-certificates curl libicu-dev", log[2], StringComparison.Ordinal);
        Assert.StartsWith("curl -sSL https://dot.net/v1/dotnet-install.sh -o ", log[3], StringComparison.Ordinal);
        Assert.Equal($"installer --jsonfile {Kit}/global.json --install-dir /usr/share/dotnet", log[4]);
        Assert.Equal("ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet", log[5]);
        Assert.Contains("dotnet build grader/PaxosLabs.Grader -nologo -v:q", log[6..]);
    }

    [Fact]
    public void Setup_stops_at_a_failed_step()
    {
        Tool("apt-get", "#!/usr/bin/env bash\nexit 100\n");

        var result = Run("setup.sh", GradescopeScripts.Setup());

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(File.ReadAllLines(Log), l => l.StartsWith("dotnet build", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_autograder_grades_the_submission_with_the_baked_options_and_copies_results_json()
    {
        const string Report = """{"score": 7, "visibility": "hidden"}""";

        var result = Run("run_autograder", GradescopeScripts.RunAutograder(Settings), ("FAKE_REPORT", Report), ("FAKE_EXIT", "0"));

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        Assert.Equal(
            $"dotnet run --project grader/PaxosLabs.Grader --no-build -- grade {Root}/submission --root {Kit} --name submission " +
            $"--out {Root}/results/paxoslabs --visibility hidden --stage-timeout 60 --test-timeout 30 --sandbox none",
            Assert.Single(File.ReadAllLines(Log)));
        Assert.Equal(Report + "\n", File.ReadAllText(Results));
        Assert.Contains("grade exited with code 0", result.Output);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("134")]
    public void Run_autograder_says_so_in_a_valid_results_json_when_grade_left_none(string exitCode)
    {
        Write("autograder/results/results.json", """{"score": 198}"""); // stale: never shown for this submission

        var result = Run("run_autograder", GradescopeScripts.RunAutograder(Settings), ("FAKE_EXIT", exitCode));

        Assert.True(result.ExitCode == 0, string.Join('\n', result.Output));
        var json = File.ReadAllText(Results);
        Assert.Empty(FormatValidation.Gradescope(json));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(0, root.GetProperty("score").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("execution_time").ValueKind);
        Assert.Equal(("hidden", "hidden"), (root.GetProperty("visibility").GetString(), root.GetProperty("stdout_visibility").GetString()));
        Assert.Equal($"The grader could not grade this submission (exit code {exitCode}); the course staff have the log.", root.GetProperty("output").GetString());
        var entry = Assert.Single(root.GetProperty("tests").EnumerateArray());
        Assert.Equal(("visible", "failed", 0), (entry.GetProperty("visibility").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("max_score").GetInt32()));
        Assert.Contains($"(exit code {exitCode})", entry.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_autograder_without_a_kit_still_writes_results_json()
    {
        Directory.Delete(Kit, recursive: true);

        var result = Run("run_autograder", GradescopeScripts.RunAutograder(Settings));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(FormatValidation.Gradescope(File.ReadAllText(Results)));
        Assert.False(File.Exists(Log), "dotnet must not have run");
    }

    private ChildResult Run(string name, string text, params (string Name, string Value)[] variables)
    {
        var script = Script(name, text);
        var environment = new Dictionary<string, string?>
        {
            [GradescopeScripts.RootVariable] = Root,
            ["PATH"] = Path.Combine(_folder, "bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_LOG"] = Log,
            ["FAKE_STATE"] = State,
        };
        foreach (var (variable, value) in variables)
        {
            environment[variable] = value;
        }

        // From elsewhere, as Gradescope runs them: the scripts must not depend on their own folder or the current one.
        return ChildProcess.Run(script, [], Path.GetTempPath(), TimeSpan.FromSeconds(60), environment: environment);
    }

    private string Script(string name, string text)
    {
        var path = Path.GetFullPath(Path.Combine(_folder, "scripts", name));
        Executable.Write(path, text);
        return path;
    }

    private void Tool(string name, string text) => Script(Path.Combine("..", "bin", name), text);

    private void Write(string path, string text)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }
}
