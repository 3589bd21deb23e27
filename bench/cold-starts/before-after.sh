#!/usr/bin/env bash
# Before and after, side by side in one run: each handler's cold start (bin/benchmark --cold-starts: a fresh JVM per
# handler, medians of 5) on the code of BEFORE (a git ref, built once into a temporary directory) and on this tree as
# it is (uncommitted changes included), alternating ROUNDS times so that both meet the same load. Prints each run's
# table, then one row per handler: wall, process CPU and classes loaded, before and after, each round. Asserts nothing.
#   bench/cold-starts/before-after.sh [BEFORE [ROUNDS]]     BEFORE defaults to HEAD, ROUNDS to 2
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ref="${1:-HEAD}"
rounds="${2:-2}"
before="${TMPDIR:-/tmp}/lambda-rollout-before-$(git -C "$root" rev-parse --short "$ref")"
if [ ! -f "$before/local/target/lib/.built" ]; then
  echo "building $ref into $before ..." >&2
  rm -rf "$before" && mkdir -p "$before"
  git -C "$root" archive "$ref" | tar -x -C "$before"
  mvn -q -B -f "$before/pom.xml" package -Dmaven.test.skip=true >&2
  touch "$before/local/target/lib/.built"
fi
out="$(mktemp -d)"
for round in $(seq "$rounds"); do
  for tree in "$before" "$root"; do
    label=$([ "$tree" = "$root" ] && echo after || echo before)
    echo "== $label, round $round (before: $ref; load $(cut -d' ' -f1-3 /proc/loadavg))"
    # bin/benchmark builds its tree first (quickly, once built): edit nothing while this runs.
    "$tree/bin/benchmark" --cold-starts | tee "$out/$label.$round"
  done
done
echo
printf '%-20s %-5s %s\n' handler round "wall s before -> after | CPU s before -> after | classes before -> after"
for file in "$out"/before.*; do
  round="${file##*.}"
  # Rows: "  NAME (answer)   0.085 s (CPU 0.13 s)   ...   798; ..." -> NAME|wall|cpu|classes
  row='s/^  \([A-Za-z][A-Za-z ]*[A-Za-z]\) *[:(].* \([0-9.]*\) s (CPU \([0-9.]*\) s).* \([0-9]*\); .*/\1|\2|\3|\4/p'
  paste -d'|' <(sed -n "$row" "$file") <(sed -n "$row" "$out/after.$round") |
    awk -F'|' -v r="$round" '{printf "%-20s %-5s %6s -> %-6s | %5s -> %-5s | %5s -> %s\n", $1, r, $2, $6, $3, $7, $4, $8}'
done
rm -rf "$out"
