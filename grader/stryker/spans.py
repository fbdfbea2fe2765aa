#!/usr/bin/env python3
"""Prints Stryker.NET `mutate` patterns for the graded regions of one solution project.

Every region between `// BEGIN TODO(s.k)` and `// END TODO(s.k)` becomes a text span
`{start..end}` (Stryker counts UTF-16 characters of the file, without a BOM), so only the code a
student writes is mutated. One line per file that has regions:

    **/Acceptor.cs{812..1240}{1601..2010}

Usage: spans.py <project folder>   (e.g. solutions/PaxosLabs.MultiPaxos)
Exits 1 when the folder has no graded region, or a marker is unbalanced.
"""
import pathlib
import re
import sys

BEGIN = re.compile(r"^\s*//\s*BEGIN TODO\((\d+\.\d+)\)")
END = re.compile(r"^\s*//\s*END TODO\((\d+\.\d+)\)")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def spans(path: pathlib.Path) -> list[tuple[int, int]]:
    # newline="" keeps \r\n as it is, so offsets match the file Roslyn reads.
    with path.open(encoding="utf-8-sig", newline="") as file:
        text = file.read()
    found, offset, open_task, open_at = [], 0, None, 0
    for number, line in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text), start=1):
        if (m := BEGIN.match(line)) is not None:
            if open_task is not None:
                sys.exit(f"{path}:{number}: BEGIN TODO({m.group(1)}) inside TODO({open_task})")
            open_task, open_at = m.group(1), offset
        elif (m := END.match(line)) is not None:
            if open_task != m.group(1):
                sys.exit(f"{path}:{number}: END TODO({m.group(1)}) without its BEGIN")
            found.append((open_at, offset))  # from the BEGIN line up to the END line
            open_task = None
        offset += utf16_length(line)
    if open_task is not None:
        sys.exit(f"{path}: BEGIN TODO({open_task}) is never closed")
    return found


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    project = pathlib.Path(sys.argv[1])
    patterns = []
    for path in sorted(project.rglob("*.cs")):
        if {"bin", "obj"} & set(path.relative_to(project).parts):
            continue
        if found := spans(path):
            relative = path.relative_to(project).as_posix()
            patterns.append(f"**/{relative}" + "".join(f"{{{a}..{b}}}" for a, b in found))
    if not patterns:
        sys.exit(f"{project}: no BEGIN TODO/END TODO region")
    print("\n".join(patterns))


if __name__ == "__main__":
    main()
