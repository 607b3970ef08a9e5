#!/usr/bin/env bash
# Installs code-server 4.100.3 (a real VS Code workbench) into .cache/code-server for the end-to-end
# tests, doing its post-install steps by hand (its own postinstall downloads ripgrep from GitHub),
# and checks the Debian tools the tests drive. Idempotent: a finished setup is detected and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.100.3
PREFIX=.cache/code-server
CS="$PREFIX/node_modules/code-server"
VS="$CS/lib/vscode"
STAMP="$PREFIX/.setup-done-$VERSION"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-e2e: missing Debian packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi

if [ -f "$STAMP" ] && [ -f "$CS/out/node/entry.js" ]; then
  echo "setup-e2e: code-server $VERSION already set up in $PREFIX"
  exit 0
fi

start=$(date +%s)
mkdir -p "$PREFIX"
# A package.json of its own, so npm does not climb up to the project's.
[ -f "$PREFIX/package.json" ] || echo '{ "name": "kg-e2e-code-server", "private": true }' > "$PREFIX/package.json"

echo "setup-e2e: npm install code-server@$VERSION (scripts off)"
npm install --prefix "$PREFIX" --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$VERSION"

echo "setup-e2e: VS Code's own dependencies (scripts off)"
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "setup-e2e: Debian's ripgrep in place of the GitHub download"
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

echo "setup-e2e: native modules"
(cd "$VS" && npm_config_yes=true npm rebuild --loglevel=error kerberos @vscode/spdlog node-pty native-watchdog @parcel/watcher @vscode/deviceid)
ln -sfn node_modules "$VS/node_modules.asar"
npm rebuild --prefix "$PREFIX" --loglevel=error argon2

touch "$STAMP"
echo "setup-e2e: done in $(( $(date +%s) - start )) s"
