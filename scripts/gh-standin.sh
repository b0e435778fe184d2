#!/usr/bin/env bash
# A stand-in for the gh CLI's release commands, as publish-runtimes.yml calls them, for the
# publish rehearsal (scripts/publish-rehearsal.mjs, test/scripts/publish-runs.integration.test.ts): GitHub's release
# service cannot run here. Releases are folders under $GH_STANDIN_STATE/releases/<tag>; every
# call is appended to $GH_STANDIN_STATE/calls.log. Like gh: `release create` fails for a tag
# that exists, `release view`/`download` fail for one that does not, `upload --clobber`
# replaces an asset.
set -euo pipefail
state=${GH_STANDIN_STATE:?GH_STANDIN_STATE is not set}
mkdir -p "$state/releases"
printf '%s\n' "$*" >> "$state/calls.log"
[ "${1:-}" = release ] || { echo "gh-standin: only 'gh release' is rehearsed, not: $*" >&2; exit 2; }
verb=${2:-}
tag=${3:-}
shift 3 || true
dir=$state/releases/$tag
files=() pattern='*' dest=.
while [ $# -gt 0 ]; do
  case "$1" in
    --repo|--target|--title|--notes) shift 2 ;;
    --pattern) pattern=$2; shift 2 ;;
    --dir) dest=$2; shift 2 ;;
    --clobber|--latest=false) shift ;;
    -*) echo "gh-standin: unknown flag $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
case "$verb" in
  view) [ -d "$dir" ] || { echo "release not found" >&2; exit 1; } ;;
  create)
    [ ! -e "$dir" ] || { echo "a release named $tag already exists" >&2; exit 1; }
    mkdir -p "$dir"
    for f in "${files[@]}"; do cp "$f" "$dir/"; done ;;
  upload)
    [ -d "$dir" ] || { echo "release not found" >&2; exit 1; }
    for f in "${files[@]}"; do cp "$f" "$dir/"; done ;;
  download)
    [ -d "$dir" ] || { echo "release not found" >&2; exit 1; }
    found=0
    for f in "$dir"/$pattern; do [ -e "$f" ] && cp "$f" "$dest/" && found=1; done
    [ "$found" = 1 ] || { echo "no assets match $pattern" >&2; exit 1; } ;;
  *) echo "gh-standin: gh release $verb is not rehearsed" >&2; exit 2 ;;
esac
