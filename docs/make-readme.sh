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
echo "README.md regenerated"
