namespace PaxosLabs.Grader.Packaging;

/// <summary>
/// The two scripts Gradescope runs (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
/// <c>setup.sh</c> once when it builds the autograder's image, <c>run_autograder</c> once per
/// submission. Both find their folders under <c>$AUTOGRADER_ROOT</c> (default <c>/autograder</c>),
/// so a test can run them in a layout of its own.
/// </summary>
public static class GradescopeScripts
{
    /// <summary>The variable that moves the <c>/autograder</c> layout elsewhere.</summary>
    public const string RootVariable = "AUTOGRADER_ROOT";

    /// <summary>
    /// The name <c>run_autograder</c> grades under: the overlay is <c>.grade/submission</c>, the path
    /// <c>setup.sh</c> builds the hidden tests against beforehand.
    /// </summary>
    public const string SubmissionName = "submission";

    /// <summary>The folder of <c>results/</c> that receives all of <c>grade</c>'s reports.</summary>
    public const string ReportsFolder = "paxoslabs";

    /// <summary>What the student reads when <c>grade</c> left no results.json; <c>%s</c> is its exit code.</summary>
    public const string NotGradedMessage = "The grader could not grade this submission (exit code %s); the course staff have the log.";

    private const string Environment = """
        export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
        root="$(cd "${AUTOGRADER_ROOT:-/autograder}" && pwd)" || { echo "no folder ${AUTOGRADER_ROOT:-/autograder}" >&2; exit 1; }
        kit="$root/source/kit"
        """;

    /// <summary>
    /// Installs the .NET SDK only when there is no <c>dotnet</c> that accepts kit/global.json, then
    /// restores and builds the grader and the hidden tests once. The hidden tests are built against
    /// a pristine overlay at the very path <c>grade</c> uses, so the packages are in the image, the
    /// artifacts folder (keyed by that path) is warm, and grading recompiles only what the student's
    /// files change: no network needed at grading time.
    /// </summary>
    public static string Setup() => Lf($$"""
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, while it builds the autograder's image (written by
        # `PaxosLabs.Grader gradescope`; AUTOGRADER_ROOT, default /autograder, moves the layout).
        set -euo pipefail
        {{Environment}}
        cd "$kit"

        # The .NET SDK named by kit/global.json, unless a dotnet that accepts it is already there
        # (`dotnet --version` fails in the kit when no installed SDK matches global.json).
        if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --version >/dev/null 2>&1; then
          echo "installing the .NET SDK that kit/global.json names"
          apt-get update
          DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl libicu-dev
          installer="$(mktemp -d)/dotnet-install.sh"
          curl -sSL https://dot.net/v1/dotnet-install.sh -o "$installer"
          bash "$installer" --jsonfile "$kit/global.json" --install-dir /usr/share/dotnet
          ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
        fi
        echo "dotnet $(dotnet --version)"

        # Restore and build once, so grading starts warm and needs no network: the grader, then the
        # hidden tests against a pristine overlay where `grade --name {{SubmissionName}}` lays the submission
        # (the build output is keyed by that path; the overlay itself is made anew for each submission).
        dotnet build grader/PaxosLabs.Grader -nologo -v:q
        overlay="$kit/.grade/{{SubmissionName}}"
        rm -rf "$overlay"
        mkdir -p "$kit/.grade"
        cp -a skeletons "$overlay"
        dotnet build grader/PaxosLabs.HiddenTests "-p:Impl=$overlay" -nologo -v:q
        rm -rf "$overlay"
        echo "the autograder is ready"
        """);

    /// <summary>
    /// Grades <c>submission/</c> with the baked options, reports into <c>results/paxoslabs/</c>, and
    /// copies its results.json to <c>results/results.json</c>; when <c>grade</c> left none (exit 2: the
    /// submission has no editable file, or the grader itself failed), writes one that says so, with
    /// score 0 and the exit code, and a visible entry that says so at once.
    /// </summary>
    public static string RunAutograder(GradescopeSettings settings)
    {
        settings.Validate();
        var options = string.Join(' ', settings.GradeArguments);
        return Lf($$"""
            #!/usr/bin/env bash
            # Gradescope runs this for every submission (written by `PaxosLabs.Grader gradescope`;
            # AUTOGRADER_ROOT, default /autograder, moves the layout). Baked-in grade options:
            #   {{options}}
            set -uo pipefail
            {{Environment}}
            results="$root/results"
            reports="$results/{{ReportsFolder}}"
            mkdir -p "$results"
            rm -f "$results/results.json"

            (cd "$kit" && dotnet run --project grader/PaxosLabs.Grader --no-build -- grade "$root/submission" \
              --root "$kit" --name {{SubmissionName}} --out "$reports" {{options}})
            code=$?
            echo "grade exited with code $code"

            if [ -f "$reports/results.json" ]; then
              cp "$reports/results.json" "$results/results.json"
            else
              message=$(printf '{{NotGradedMessage}}' "$code")
              printf '{"score": 0, "execution_time": %d, "output": "%s", "visibility": "%s", "stdout_visibility": "hidden", "tests": [{"name": "grading: the submission could not be graded", "score": 0, "max_score": 0, "status": "failed", "visibility": "visible", "output": "%s Check that you submitted your repository as it was handed out, with your code under src/."}]}\n' \
                "$SECONDS" "$message" "{{settings.Visibility}}" "$message" > "$results/results.json"
            fi
            """);
    }

    /// <summary>Scripts run on Linux: LF line endings, whatever the machine that writes them.</summary>
    private static string Lf(string text) => text.ReplaceLineEndings("\n") + "\n";
}
