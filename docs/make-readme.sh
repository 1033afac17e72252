#!/usr/bin/env bash
# Regenerates README.md from README.template.md, running every command shown so that the output
# in the README is real. Usage: docs/make-readme.sh (from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
./netstack4j --version >/dev/null
python3 - <<'PY'
import re, subprocess
tpl = open('docs/README.template.md').read()
def run(m):
    cmd = m.group(1)
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.rstrip('\n')
    return f"```\n$ {cmd}\n{out}\n```"
open('README.md', 'w').write(re.sub(r'^@run (.+)$', run, tpl, flags=re.M))
PY
# The lab picture the README shows: the first SVG (the ladder diagram) of N26's report page.
tmp="$(mktemp -d)"
./netstack4j lab N26 --html "$tmp" >/dev/null 2>&1
python3 - "$tmp/N26.html" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
open('docs/lab-N26-ladder.svg', 'w').write(re.search(r'<svg .*?</svg>', page, re.S).group(0) + '\n')
PY
rm -rf "$tmp"
echo "README.md regenerated"
