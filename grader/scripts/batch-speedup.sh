#!/usr/bin/env bash
# Measures how much faster a batch grades with --jobs 2 and with two shards than one after the
# other, and checks that every way writes the same gradebook (docs/grading.md, "Measured speed-up").
#
#   grader/scripts/batch-speedup.sh <work-dir>
#
# Makes 8 submissions from the handout in <work-dir>/subs (four solved, one as handed out, one with
# stage 3 as handed out, one that does not compile, one with the quorum size (n - 1) / 2 + 1 in
# stage 2), then grades them sequentially, with --jobs 2, and as shards 1/2 and 2/2 followed by
# merge, printing each run's wall and CPU time. Run it from the kit root on an otherwise idle machine.
# Exit codes: 0 measured and the gradebooks agree, 1 they differ or a run failed, 2 bad usage.
set -uo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 <work-dir>" >&2
    exit 2
fi

work=$(realpath -m "$1")
if [ -e "$work" ] && [ -n "$(ls -A "$work" 2>/dev/null)" ]; then
    echo "batch-speedup: $work is not empty" >&2
    exit 2
fi

mkdir -p "$work/subs"
dotnet build grader/PaxosLabs.Grader -nologo -v:q > /dev/null || exit 1
grader() { dotnet run --project grader/PaxosLabs.Grader --no-build -- "$@"; }
grader handout "$work/base" > /dev/null || exit 1
grader editable > "$work/editable.txt" || exit 1

solve() {
    cp -r "$work/base" "$work/subs/$1"
    while read -r file; do cp "solutions/$file" "$work/subs/$1/src/$file"; done < "$work/editable.txt"
}
for student in ana ben cleo dan; do solve "$student"; done
cp -r "$work/base" "$work/subs/eve"
solve fay && cp "$work"/base/src/PaxosLabs.Detectors/*.cs "$work/subs/fay/src/PaxosLabs.Detectors/"
solve gus && sed -i 's/return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true);/return (new WriteResponse { New = replies.Values.Any(r => r.New) }, true) \/\/ no semicolon/' \
    "$work/subs/gus/src/PaxosLabs.Storage/StorageQSpec.cs"
solve hal && sed -i 's|public int QuorumSize => Nodes / 2 + 1;|public int QuorumSize => (Nodes - 1) / 2 + 1;|' \
    "$work/subs/hal/src/PaxosLabs.SinglePaxos/PaxosQSpec.cs"

TIMEFORMAT="%R s wall, %U s user, %S s sys"
failed=0
run() {
    local name=$1
    shift
    printf '%-12s ' "$name:"
    { time grader "$@" > "$work/$name.log" 2>&1; } 2>&1
    local code=$?
    [ "$code" -eq 0 ] || { echo "  exit code $code (see $work/$name.log)"; failed=1; }
}
run sequential grade --batch "$work/subs" --out "$work/out-sequential" --stage-timeout 300
run jobs-2 grade --batch "$work/subs" --out "$work/out-jobs-2" --jobs 2 --stage-timeout 300
run shard-1 grade --batch "$work/subs" --out "$work/out-shard-1" --shard 1/2 --stage-timeout 300
run shard-2 grade --batch "$work/subs" --out "$work/out-shard-2" --shard 2/2 --stage-timeout 300
run merge merge --out "$work/out-merged" "$work/out-shard-1" "$work/out-shard-2"

for out in out-jobs-2 out-merged; do
    if cmp -s "$work/out-sequential/gradebook.csv" "$work/$out/gradebook.csv"; then
        echo "$out: the same gradebook as the sequential run"
    else
        echo "$out: a different gradebook from the sequential run"
        failed=1
    fi
done
cat "$work/out-sequential/gradebook.csv"
exit "$failed"
