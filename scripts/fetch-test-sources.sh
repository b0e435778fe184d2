#!/usr/bin/env bash
# Fetches the upstream source tarballs the build tests use, from Debian's archive:
# Debian's .orig tarballs are byte-identical to the upstream releases, and apt checks
# them against the signed .dsc. No host name is written here: the deb-src entry is
# derived from the machine's own Debian apt source (its URIs and Signed-By).
# Usage: scripts/fetch-test-sources.sh [DEST]   (default: .cache/sources)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/.cache/sources}
mkdir -p "$dest"

# upstream name (the file keeps the .orig's own extension)   apt source spec
wanted=(
  "openssl-3.0.22  openssl/bookworm-security"
  "Python-3.11.2   python3.11/bookworm"
)
[ -n "${TLS_FLOOR_EXTRA_SOURCES:-}" ] && wanted+=(
  "openssl-3.5.7   openssl=3.5.7-1~deb13u2"
  "openssl-1.1.1w  openssl/bullseye"
  "Python-3.13.5   python3.13/trixie"
  "Python-3.9.2    python3.9/bullseye"
)

missing=()
for w in "${wanted[@]}"; do
  set -- $w
  ls "$dest/$1".tar.* >/dev/null 2>&1 || missing+=("$w")
done
[ ${#missing[@]} -eq 0 ] && { echo "sources: all present in $dest"; exit 0; }

eval "$(apt-config shell D Dir::Etc::sourceparts/d)"
src=$(grep -l -E '^URIs:.*/debian/?$' "$D"/*.sources 2>/dev/null | head -n1 || true)
[ -n "$src" ] || { echo "no Debian entry in $D*.sources" >&2; exit 1; }
uri=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' "$src")
sec=$(awk '/^URIs:/ && $2 ~ /\/debian-security\/?$/ {print $2; exit}' "$src")
key=$(awk '/^Signed-By:/{print $2; exit}' "$src")
list=$D/tls-floor-src.sources
{
  printf 'Types: deb-src\nURIs: %s\nSuites: bullseye bookworm trixie\nComponents: main\nSigned-By: %s\n' "$uri" "$key"
  [ -n "$sec" ] && printf '\nTypes: deb-src\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: %s\n' "$sec" "$key"
} > "$list"
apt-get update -qq

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for w in "${missing[@]}"; do
  set -- $w
  name=$1 spec=$2
  # apt checks each file against the signed Sources index as it downloads; only the
  # .orig tarball is needed, so a missing Debian packaging file is not fatal.
  (cd "$work" && apt-get source --download-only -qq "$spec" 2>&1 | grep -v '^W:' >&2) || true
  orig=$(ls "$work"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1)
  [ -n "$orig" ] || { echo "no orig tarball for $spec" >&2; exit 1; }
  top=$(tar tf "$orig" 2>/dev/null | head -n1 || true); top=${top%%/*}
  [ "$top" = "$name" ] || { echo "$spec gave $top, not $name" >&2; exit 1; }
  name=$name.tar.${orig##*.tar.}
  mv "$orig" "$dest/$name"
  rm -f "$work"/*
  echo "sources: $name ($(sha256sum "$dest/$name" | cut -c1-16)…)"
done
