#!/usr/bin/env bash
# Renders an HTML trace page (HtmlTrace.Write) with headless Chromium and checks that the
# screenshot exists and is not blank, and that the page Chromium built holds each expected text
# (e.g. a message label such as 'Accept r=').
#
#   grader/scripts/check-trace-render.sh <html-file> <png-out> [expected-text ...]
#
# Installs Debian's chromium (apt-get, as root) when `chromium` is not on PATH.
# Exit codes: 0 rendered and not blank, 1 the check failed, 2 bad usage.
set -euo pipefail

fail() {
    echo "check-trace-render: $*" >&2
    exit 1
}

if [ "$#" -lt 2 ]; then
    echo "usage: $0 <html-file> <png-out> [expected-text ...]" >&2
    exit 2
fi

html=$1
png=$2
shift 2
[ -f "$html" ] || fail "no such file: $html"
[ -s "$html" ] || fail "the page is empty: $html"

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        fail "chromium is not installed and installing it needs root: run 'apt-get update && apt-get install -y chromium' as root, or run this script as root"
    fi
    echo "check-trace-render: chromium not found; installing Debian's chromium..." >&2
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >/tmp/check-trace-render-apt.log 2>&1; then
        tail -n 20 /tmp/check-trace-render-apt.log >&2 || true
        fail "could not install chromium with apt-get (log: /tmp/check-trace-render-apt.log)"
    fi
    command -v chromium >/dev/null 2>&1 || fail "apt-get installed chromium but it is not on PATH"
fi

html_abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
mkdir -p "$(dirname "$png")"
png_abs="$(cd "$(dirname "$png")" && pwd)/$(basename "$png")"
rm -f "$png_abs"

# A file:// URL with unusual characters (spaces, #, %) escaped.
if command -v python3 >/dev/null 2>&1; then
    url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).as_uri())' "$html_abs")
else
    url="file://$(printf '%s' "$html_abs" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g')"
fi

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT

status=0
timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1400,1000 --hide-scrollbars \
    --screenshot="$png_abs" "$url" >"$log" 2>&1 || status=$?

if [ ! -f "$png_abs" ]; then
    tail -n 20 "$log" >&2 || true
    fail "chromium (exit $status) wrote no screenshot to $png_abs"
fi

size=$(wc -c <"$png_abs" | tr -d ' ')
min_size=5000
if [ "$size" -lt "$min_size" ]; then
    fail "the screenshot $png_abs is only $size bytes (under $min_size): the page probably rendered blank"
fi

# With python3, decode the PNG (no libraries needed) and count its colors and inked pixels.
if command -v python3 >/dev/null 2>&1; then
    if ! python3 - "$png_abs" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG file")
pos, idat, header = 8, [], None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
    pos += 12 + length
width, height, depth, color, _, _, interlace = header
channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
if depth != 8 or channels is None or interlace:
    print(f"check-trace-render: PNG format (depth {depth}, color {color}) not decoded; size check only")
    sys.exit(0)
raw = zlib.decompress(b"".join(idat))
stride = width * channels
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):
    kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if kind == 1:
            line[x] = (line[x] + a) & 255
        elif kind == 2:
            line[x] = (line[x] + b) & 255
        elif kind == 3:
            line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colors, counts = set(), {}
for line in rows:
    for x in range(0, stride, channels):
        px = line[x:x + min(channels, 3)]
        colors.add(px)
        counts[px] = counts.get(px, 0) + 1
background = max(counts.values())
inked = 1 - background / (width * height)
print(f"check-trace-render: {width}x{height}, {len(colors)} distinct colors, {inked:.1%} of pixels off the background")
if len(colors) < 16 or inked < 0.02:
    sys.exit("the screenshot looks blank")
PY
    then
        fail "the screenshot $png_abs looks blank or unreadable"
    fi
fi

# The page as Chromium built it (scripts run) must hold every expected text.
if [ "$#" -gt 0 ]; then
    dom=$(timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --dump-dom "$url" 2>>"$log") || fail "chromium could not dump the page's DOM"
    for text in "$@"; do
        grep -qF -- "$text" <<<"$dom" || fail "the rendered page does not contain: $text"
    done
    echo "check-trace-render: the rendered page holds all $# expected texts"
fi

echo "check-trace-render: OK $png_abs ($size bytes)"
