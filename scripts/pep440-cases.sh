#!/bin/sh
# Writes test/fixtures/pep440-cases.json: PEP 440 specifier sets matched against CPython
# versions by `packaging` (Debian's python3-packaging, the reference implementation), which
# src/runtime/pep440.ts must agree with. The package is downloaded from Debian's archive and
# unpacked into .cache (never installed into the system).
set -eu
cd "$(dirname "$0")/.."
dest=.cache/python3-packaging
if [ ! -d "$dest/usr/lib/python3/dist-packages/packaging" ]; then
  mkdir -p .cache/debs "$dest"
  (cd .cache/debs && apt-get download python3-packaging)
  dpkg -x "$(ls .cache/debs/python3-packaging_*.deb | tail -1)" "$dest"
fi
python3 -I scripts/pep440-cases.py "$dest/usr/lib/python3/dist-packages" > test/fixtures/pep440-cases.json.tmp
mv test/fixtures/pep440-cases.json.tmp test/fixtures/pep440-cases.json
echo "test/fixtures/pep440-cases.json: $(grep -c '"spec"' test/fixtures/pep440-cases.json) specifier sets"
