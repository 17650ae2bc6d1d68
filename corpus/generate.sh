#!/usr/bin/env bash
# Regenerate the committed test corpus.
#
# Run from the repository root:   bash corpus/generate.sh
#
# Runs every corpus/gen/*.sh in lexical order (10-materials.sh, 20-requests.sh, then
# the scripts other profiles add, e.g. 50-chains.sh, 60-esri.sh). Each script is run
# with the repository root as its working directory and must write only under corpus/.
#
# Keys are random, so a re-run changes every key, certificate and fixture that embeds
# them; dates, serial numbers, names and layouts are fixed. The outputs are committed:
# tests never generate keys. Requires the openssl 3.x CLI and python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v openssl >/dev/null || { echo "generate.sh: openssl not found" >&2; exit 1; }
command -v python3 >/dev/null || { echo "generate.sh: python3 not found" >&2; exit 1; }

for script in corpus/gen/*.sh; do
    [ -e "$script" ] || continue
    echo "== $script"
    bash "$script"
done
echo "== done"
