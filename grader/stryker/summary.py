#!/usr/bin/env python3
"""Summarizes the Stryker.NET reports under artifacts/stryker/<project>/reports/ as markdown.

The score is Stryker's: detected (Killed + Timeout) over valid (detected + Survived + NoCoverage);
Ignored mutants (outside the graded regions) and CompileError mutants do not count. Every mutant
that was not detected is listed with file:line, the mutation and the original code, so it can be
judged: an equivalent mutant, or a gap in the hidden tests.

Usage: summary.py <artifacts/stryker folder>
"""
import json
import pathlib
import sys

ORDER = ["Storage", "SinglePaxos", "Gorums", "Detectors", "MultiPaxos"]
DETECTED = {"Killed", "Timeout"}
UNDETECTED = {"Survived", "NoCoverage"}


def score(detected: int, valid: int) -> str:
    return f"{100 * detected / valid:.1f} %" if valid else "n/a"


def shorten(text: str) -> str:
    """A long replacement keeps its end: a mutation of a call chain changes the last call."""
    return text if len(text) <= 70 else "…" + text[-69:]


def original(source: str, location: dict) -> str:
    lines = source.splitlines()
    start, end = location["start"], location["end"]
    if start["line"] == end["line"]:
        text = lines[start["line"] - 1][start["column"] - 1:end["column"] - 1]
    else:
        text = "\n".join([lines[start["line"] - 1][start["column"] - 1:]]
                         + lines[start["line"]:end["line"] - 1]
                         + [lines[end["line"] - 1][:end["column"] - 1]])
    return shorten(" ".join(text.split()))


def graded_lines(source: str) -> set[int]:
    """The line numbers inside BEGIN TODO .. END TODO regions of a file."""
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("// BEGIN TODO("):
            inside = True
        elif stripped.startswith("// END TODO("):
            inside = False
        elif inside:
            lines.add(number)
    return lines


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    names = sorted((p.parent.parent.name for p in out.glob("*/reports/mutation-report.json")),
                   key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    if not names:
        sys.exit(f"no report under {out}/*/reports/mutation-report.json")

    repo = out.resolve().parent.parent
    rows, survivors = [], []
    total = {"Killed": 0, "Timeout": 0, "Survived": 0, "NoCoverage": 0, "CompileError": 0}
    for name in names:
        report = json.loads((out / name / "reports" / "mutation-report.json").read_text(encoding="utf-8"))
        counts = {k: 0 for k in total}
        for path, file in sorted(report["files"].items()):
            shown = pathlib.Path(path)
            if shown.is_absolute():
                try:
                    shown = shown.relative_to(repo)
                except ValueError:
                    pass
            graded = graded_lines(file["source"])
            for mutant in file["mutants"]:
                status = mutant["status"]
                if status == "CompileError" and mutant["location"]["start"]["line"] not in graded:
                    continue  # Stryker places mutants everywhere; only the graded regions count
                if status in counts:
                    counts[status] += 1
                if status in UNDETECTED:
                    line = mutant["location"]["start"]["line"]
                    survivors.append((name, f"{shown.as_posix()}:{line}", status, mutant["mutatorName"],
                                      original(file["source"], mutant["location"]),
                                      shorten(" ".join(str(mutant.get("replacement", "")).split()))))
        wall = out / name / "wall-seconds"
        seconds = wall.read_text().strip() if wall.exists() else "?"
        detected = counts["Killed"] + counts["Timeout"]
        valid = detected + counts["Survived"] + counts["NoCoverage"]
        rows.append((name, counts, valid, score(detected, valid), seconds))
        for k in total:
            total[k] += counts[k]

    print("| project | mutants tested | killed | timeout | survived | no coverage | compile error (graded) | score | wall (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, c, valid, s, seconds in rows:
        print(f"| PaxosLabs.{name} | {valid} | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | {c['CompileError']} | {s} | {seconds} |")
    detected = total["Killed"] + total["Timeout"]
    valid = detected + total["Survived"] + total["NoCoverage"]
    print(f"| **all** | {valid} | {total['Killed']} | {total['Timeout']} | {total['Survived']} | {total['NoCoverage']} | {total['CompileError']} | **{score(detected, valid)}** | |")
    print()
    print(f"Not detected ({len(survivors)}):")
    print()
    print("| project | where | status | mutator | original | mutated |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, where, status, mutator, code, replacement in survivors:
        print(f"| {name} | `{where}` | {status} | {mutator} | `{code.replace('|', '∣')}` | `{replacement.replace('|', '∣')}` |")


if __name__ == "__main__":
    main()
