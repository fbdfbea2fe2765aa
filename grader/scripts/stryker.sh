#!/usr/bin/env bash
# Mutation testing of the graded solution code with the hidden tests (Stryker.NET).
#
# For each solution project it mutates only the student-editable regions (BEGIN TODO .. END TODO,
# turned into Stryker text spans by grader/stryker/spans.py, so the spans follow the code when it
# moves) and runs the hidden tests against every mutant, each mutant only with the tests that cover
# it (per-test coverage). The multi-process gRPC tests are left out; see "Mutation score
# (Stryker.NET)" in docs/grading.md.
# Reports go to artifacts/stryker/<project>/reports/ (html, json, markdown); the summary of every
# project that has a report goes to artifacts/stryker/summary.md.
#
# An instructor's command, not part of CI: a full run took 52 minutes on a busy two-core machine.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: grader/scripts/stryker.sh [options] all | PROJECT...
       grader/scripts/stryker.sh --summary

Mutation-tests the graded regions of the solutions with the hidden tests (Stryker.NET, pinned in
.config/dotnet-tools.json and restored with `dotnet tool restore`).

PROJECT is a solution project, with or without the PaxosLabs. prefix:
  Storage SinglePaxos Gorums Detectors MultiPaxos   (`all` runs them in this order, smallest first)

options:
  --timeout SECONDS     wall-time limit of each project's run (default 2400; the run is stopped
                        and reported as failed when it exceeds it)
  --concurrency N       parallel test runners (default 1: the machine is shared)
  --summary             only print the summary of the reports already under artifacts/stryker
  -h, --help            this text

environment: STRYKER_TIMEOUT and STRYKER_CONCURRENCY set the same defaults.
exit code: 0 when every run finished, 1 when one failed or timed out, 2 on a usage mistake.
EOF
}

root=$(cd "$(dirname "$0")/../.." && pwd)
config="$root/grader/stryker/stryker-config.json"
out="$root/artifacts/stryker"
timeout_s=${STRYKER_TIMEOUT:-2400}
concurrency=${STRYKER_CONCURRENCY:-1}
all=(Storage SinglePaxos Gorums Detectors MultiPaxos)
projects=()
summary_only=false

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --timeout) [ $# -ge 2 ] || { echo "error: --timeout needs a value" >&2; exit 2; }; timeout_s=$2; shift 2 ;;
    --concurrency) [ $# -ge 2 ] || { echo "error: --concurrency needs a value" >&2; exit 2; }; concurrency=$2; shift 2 ;;
    --summary) summary_only=true; shift ;;
    all) projects+=("${all[@]}"); shift ;;
    -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      name=${1#PaxosLabs.}
      [[ " ${all[*]} " == *" $name "* ]] || { echo "error: unknown project $1 (one of: ${all[*]})" >&2; exit 2; }
      projects+=("$name"); shift ;;
  esac
done
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || { echo "error: --timeout must be a positive number of seconds" >&2; exit 2; }
[[ "$concurrency" =~ ^[1-9][0-9]*$ ]] || { echo "error: --concurrency must be a positive number" >&2; exit 2; }

if $summary_only; then
  python3 "$root/grader/stryker/summary.py" "$out"
  exit 0
fi
[ ${#projects[@]} -gt 0 ] || { usage >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A seed left in the shell would shrink the simulation sweeps to one seed and weaken the tests.
unset PAXOSLABS_SEED

cd "$root"
dotnet tool restore >/dev/null

# Stryker compiles the mutated project itself and cannot run the Gorums generator (it passes it no
# .proto file): save the generator's output once, then let every build that Stryker starts compile
# that output as ordinary sources (grader/stryker/stryker.targets, imported via the environment).
export CustomAfterMicrosoftCommonTargets="$root/grader/stryker/stryker.targets"
export PaxosLabsStrykerGenerated="$out/generated/"
rm -rf "$out/generated"
echo "==> saving the Gorums generator's output under $out/generated"
PaxosLabsStrykerMode=dump dotnet build grader/PaxosLabs.HiddenTests --no-incremental -nologo -clp:ErrorsOnly -v:q
export PaxosLabsStrykerMode=use

status=0
for name in "${projects[@]}"; do
  project="PaxosLabs.$name"
  mkdir -p "$out/$name"
  rm -rf "${out:?}/$name/reports"
  mutate=()
  while IFS= read -r pattern; do
    mutate+=(--mutate "$pattern")
  done < <(python3 grader/stryker/spans.py "solutions/$project")

  printf '\n==> %s: %d file(s) with graded regions, limit %ss\n' "$project" "$((${#mutate[@]} / 2))" "$timeout_s"
  started=$(date +%s)
  set +e
  (
    cd grader/PaxosLabs.HiddenTests
    timeout --kill-after=60 "$timeout_s" \
      dotnet stryker --config-file "$config" --project "$project.csproj" "${mutate[@]}" \
        --concurrency "$concurrency" --output "$out/$name" --skip-version-check
  ) 2>&1 | tee "$out/$name/run.log"
  rc=${PIPESTATUS[0]}
  set -e
  elapsed=$(($(date +%s) - started))
  echo "$elapsed" >"$out/$name/wall-seconds"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "FAILED: $project exceeded ${timeout_s}s (wall ${elapsed}s)"; status=1
  elif [ "$rc" -ne 0 ] || [ ! -f "$out/$name/reports/mutation-report.json" ] || grep -q ' FTL\] ' "$out/$name/run.log"; then
    # Stryker exits 0 after some fatal errors (a mutated project that does not compile): no report.
    echo "FAILED: $project: stryker exited $rc without a complete report (wall ${elapsed}s); see $out/$name/run.log"; status=1
  else
    echo "done: $project in ${elapsed}s"
  fi
done

# Stryker swaps the mutated assembly into the test project's output; a run cut short may leave it
# there, so the next plain `dotnet test` must not reuse it.
# The builds in "use" mode are equivalent but not the kit's; rebuild the usual way.
unset CustomAfterMicrosoftCommonTargets PaxosLabsStrykerGenerated PaxosLabsStrykerMode
dotnet build grader/PaxosLabs.HiddenTests -nologo -clp:ErrorsOnly -v:q --no-incremental >/dev/null

python3 grader/stryker/summary.py "$out" | tee "$out/summary.md"
exit "$status"
