using System.Collections;
using System.Text.RegularExpressions;

namespace PaxosLabs.Grader.Grading;

/// <summary>The environment of the grader's child processes.</summary>
public static partial class ChildEnvironments
{
    /// <summary>
    /// Every child: no telemetry or banners; the code under test cannot write to the GitHub step
    /// summary; a seed left in the shell (<c>PAXOSLABS_SEED</c>) does not shrink the simulation sweeps to one seed,
    /// nor a seed count (<c>PAXOSLABS_SEEDS</c>) change how many seeds they run.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Build { get; } = new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["GITHUB_STEP_SUMMARY"] = null,
        ["PAXOSLABS_SEED"] = null,
        ["PAXOSLABS_SEEDS"] = null,
    };

    /// <summary>
    /// A test run, which executes student code: as for a build, without the variables that look like
    /// secrets (tokens, passwords, keys, the runner's ACTIONS_* credentials), and with the marker of
    /// <see cref="LeftoverProcesses"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> TestRun(string marker, IDictionary? current = null)
    {
        var environment = new Dictionary<string, string?>(Build);
        foreach (DictionaryEntry entry in current ?? Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && LooksSecret(name))
            {
                environment[name] = null;
            }
        }

        environment[LeftoverProcesses.MarkerVariable] = marker;
        return environment;
    }

    /// <summary>Whether a variable's name says it holds a credential.</summary>
    public static bool LooksSecret(string name) => Secret().IsMatch(name);

    [GeneratedRegex("TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY|^ACTIONS_|^GH_|^GITHUB_TOKEN$", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();
}
