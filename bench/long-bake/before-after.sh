#!/usr/bin/env bash
# Before and after, side by side in one run: bin/simulate end to end (a fresh JVM each) on a 364-day bake, a 60-day
# API Gateway stage canary bake, a 30-day Route 53 weighted record bake, an environment chain waiting 20 hours for
# prod's approval and two shipped scenarios, with the wall time and the peak resident memory of each
# (/usr/bin/time), on the code of BEFORE (a git ref, built once into a temporary directory) and on this tree. Prints
# figures; asserts nothing.
#   bench/long-bake/before-after.sh [BEFORE]     BEFORE defaults to 438e2cf, the last commit before steady spans;
#                                               313a759 is the last before steady stage minutes, 2ecf1dc the
#                                               last before steady DNS and chain minutes
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ref="${1:-438e2cf}"
before="${TMPDIR:-/tmp}/lambda-rollout-before-$(git -C "$root" rev-parse --short "$ref")"
if [ ! -f "$before/local/target/lib/.built" ]; then
  echo "building $ref into $before ..." >&2
  rm -rf "$before" && mkdir -p "$before"
  git -C "$root" archive "$ref" | tar -x -C "$before"
  mvn -q -B -f "$before/pom.xml" package -Dmaven.test.skip=true >&2
  touch "$before/local/target/lib/.built"
fi
scenarios=("$root/bench/long-bake/bake-364d.json" "$root/bench/long-bake/api-canary-60d.json"
           "$root/bench/long-bake/route53-30d.json" "$root/bench/long-bake/environment-chain-20h.json"
           "$root/events/scenarios/canary-healthy.json"
           "$root/events/scenarios/alarm-mid-rollout.json")
# One run each first: builds this tree if needed (edit nothing while it runs) and records each tree's class data
# sharing archive, so that every measured run starts as a user's second run does.
for tree in "$before" "$root"; do "$tree/bin/simulate" "${scenarios[4]}" >/dev/null 2>&1 || true; done
printf '%-22s %-7s %10s %12s %12s  %s\n' scenario code wall "peak RSS" outcome "load average"
for scenario in "${scenarios[@]}"; do
  for tree in "$before" "$root"; do
    label=$([ "$tree" = "$root" ] && echo after || echo before)
    out="$(mktemp)"
    # simulate's exit code is the outcome's (3 for a rollback); time then adds a line above its figures.
    /usr/bin/time -f '%e %M' -o "$out.time" "$tree/bin/simulate" "$scenario" >"$out" 2>&1 || true
    read -r wall rss < <(tail -n 1 "$out.time")
    outcome="$(sed -n 's/^Outcome: *\([A-Z_]*\).*/\1/p' "$out")"
    printf '%-22s %-7s %9ss %9s MB %12s  %s\n' "$(basename "$scenario" .json)" "$label" "$wall" "$((rss / 1024))" \
      "$outcome" "$(cut -d' ' -f1-3 /proc/loadavg)"
    rm -f "$out" "$out.time"
  done
done
