#!/usr/bin/env bash
# Fleets before and after a change, side by side in one run on this machine: what N rollouts started within one minute
# cost per rollout, for N = 1, 10, 100, 1000, on the working tree and on an earlier commit.
#   bench/fleet-compare/compare.sh BEFORE_REF [SCENARIO.json ...]     (SIZES="1 10 100 1000" to choose the sizes)
# The earlier commit is exported (git archive) to a temporary directory and built there; nothing else is touched.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
before_ref="${1:?usage: compare.sh BEFORE_REF [SCENARIO.json ...]}"
shift
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(events/scenarios/canary-healthy.json events/scenarios/alarm-mid-rollout.json)
fi
sizes=(${SIZES:-1 10 100 1000})
commit="$(git -C "$root" rev-parse --short "$before_ref")"
before="${TMPDIR:-/tmp}/fleet-compare-$commit"
if [ ! -f "$before/local/target/lib/.built" ]; then
  echo "compare: building $before_ref ($commit) in $before ..." >&2
  rm -rf "$before"
  mkdir -p "$before"
  git -C "$root" archive "$commit" | tar -x -C "$before"
  mvn -q -B -f "$before/pom.xml" package -Dmaven.test.skip=true >&2
  touch "$before/local/target/lib/.built"
fi

# One fleet run, summed up on one line: outcomes | calls served per rollout | throttled per rollout | busiest API
# (peak asked per second, its quota's refill) | longest delay over alone | alarm-to-restored p50/p90/max | wall time.
summary() {
  awk '
    /^Outcomes:/      { sub(/^Outcomes: +/, ""); outcomes = $0 }
    /^Split aliases:/ { split_ = $3 }
    /^Length:/        { match($0, /at most [^)]*/); delay = substr($0, RSTART + 8, RLENGTH - 8) }
    /^Reaction:/      { sub(/.*in the fleet /, ""); reaction = $0 }
    /^Per rollout:/   { sub(/^Per rollout: +/, ""); sub(/ calls served.*/, ""); calls = $0 }
    /^Throttled:/     { n = split($0, p, ", "); throttled = p[n]; sub(/ per rollout/, "", throttled) }
    /^(cloudwatch|dynamodb|lambda|sns|states|route53|apigateway) / && $4 != "-" && $6 != "-" {
      refill = $NF; load = $5 / refill
      if (load > best) { best = load; busiest = $2 " " $5 " (" refill ")" }
    }
    /^Wall time:/     { wall = sprintf("%.1f s", $3 / 1000) }
    END {
      printf "%-26s | split %s | %-58s | %5s | %-26s | %-8s | %-34s | %s\n", outcomes, split_, calls, throttled,
        busiest, delay, (reaction == "" ? "-" : reaction), wall
    }'
}

echo "Fleets before ($before_ref, $commit) and after (working tree $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- functions local statemachine || echo '+changes')), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo "Columns: outcomes | aliases split | calls served per rollout | throttled per rollout | busiest API: peak asked/s (quota/s) | longest delay over alone | alarm to alias restored (median, 9 in 10, longest) | wall | load average (1 min) before the run"
for scenario in "${scenarios[@]}"; do
  echo
  echo "$(basename "$scenario")"
  for n in "${sizes[@]}"; do
    for side in before after; do
      dir="$root"
      [ "$side" = before ] && dir="$before"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      line="$("$dir/bin/simulate" --fleet "$n" "$root/$scenario" 2>/dev/null | summary)" || true
      printf '%5s %-6s %s | load %s\n' "$n" "$side" "$line" "$load"
    done
  done
done
