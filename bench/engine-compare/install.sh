#!/usr/bin/env bash
# Installs aws-local-stepfunctions (the version package.json pins) once, from the npm registry, into a cache folder
# outside the build output (mvn clean keeps it), and prints that folder. Needs node and npm.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
version=$(sed -n 's/.*"aws-local-stepfunctions": "\([^"]*\)".*/\1/p' "$here/package.json")
cache=${ENGINE_COMPARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollout-engine-compare/$version}
if [ ! -f "$cache/node_modules/aws-local-stepfunctions/package.json" ]; then
  command -v npm >/dev/null || { echo "install.sh: npm is missing (Node 20 and npm are needed)" >&2; exit 1; }
  mkdir -p "$cache"
  cp "$here/package.json" "$cache/"
  if ! (cd "$cache" && npm install --no-audit --no-fund --silent >"$cache/npm-install.log" 2>&1); then
    echo "install.sh: npm install failed, see $cache/npm-install.log" >&2
    exit 1
  fi
fi
echo "$cache"
