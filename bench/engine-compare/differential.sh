#!/usr/bin/env bash
# The differential check against an independent engine: the project's executor and aws-local-stepfunctions (on the
# JSONPath transliteration, transliteration.mjs) run the same stubbed rollout, healthy and failing, and must enter the
# same states in the same order and end the same way. Exits 1 when they disagree, 2 when a case needs what the
# transliteration lacks. Builds the project first when the sources changed; installs aws-local-stepfunctions from the
# npm registry once (install.sh). Needs Java, Maven, Node 20 and npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
stamp="$root/local/target/lib/.built"
if [ ! -f "$stamp" ] || [ -n "$(find "$root/pom.xml" "$root/functions" "$root/local" -name target -prune -o -newer "$stamp" -print -quit)" ]; then
  echo "differential: building the project (mvn package) ..." >&2
  mvn -q -B -f "$root/pom.xml" package -Dmaven.test.skip=true >&2
  touch "$stamp"
fi
cases="$root/target/engine-compare/cases.json"
java -XX:TieredStopAtLevel=1 -Drollout.root="$root" -cp "$root/local/target/classes:$root/local/target/lib/*" \
  dev.rollout.local.EngineCompare "$cases"
ORACLE="$("$root/bench/engine-compare/install.sh")"
export ORACLE
cd "$root"
exec node bench/engine-compare/differential.mjs "$cases"
