#!/usr/bin/env bash
# Builds data/lexicon/sv-wordfreq.txt.gz, the Swedish word list Kedja ships
# (see README.md beside this file): the lowercase, letters-only words of
# wordfreq 3.1.1's large Swedish frequency list at or above Zipf frequency
# MIN_ZIPF, most frequent first. Needs python3 and pip (PyPI only).
#
#   bash data/lexicon/build.sh
set -euo pipefail
MIN_ZIPF="${MIN_ZIPF:-1.5}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet msgpack==1.1.2
"$work/venv/bin/pip" download --quiet --no-deps wordfreq==3.1.1 -d "$work"
"$work/venv/bin/python" - "$work"/wordfreq-3.1.1-py3-none-any.whl "$here/sv-wordfreq.txt.gz" "$MIN_ZIPF" <<'PY'
import gzip, io, re, sys, zipfile
import msgpack

wheel, out, min_zipf = sys.argv[1], sys.argv[2], float(sys.argv[3])
with zipfile.ZipFile(wheel) as z:
    packed = gzip.decompress(z.read("wordfreq/data/large_sv.msgpack.gz"))
# wordfreq's "cB" format: a header, then one list of words per frequency
# bucket; bucket i holds the words of frequency 10^(-i/100).
header, *buckets = msgpack.unpackb(packed, raw=False)
assert header == {"format": "cB", "version": 1}, header
word = re.compile(r"[a-zåäöéü]+")
lines = ["# Swedish words from wordfreq 3.1.1 (large_sv), Zipf >= %s, most frequent first." % min_zipf,
         "# (c) Robyn Speer and contributors; CC BY-SA 4.0: https://creativecommons.org/licenses/by-sa/4.0/"]
for i, bucket in enumerate(buckets):
    zipf = 9 - i / 100
    if zipf < min_zipf:
        break
    lines.extend(w for w in bucket if word.fullmatch(w))
data = ("\n".join(lines) + "\n").encode()
with open(out, "wb") as f:
    # mtime 0: the same input gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
        g.write(data)
print(f"{out}: {len(lines) - 2} words")
PY
