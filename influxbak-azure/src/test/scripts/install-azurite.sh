#!/usr/bin/env bash
# Installs Azurite 3.37.0 (the Azure Storage emulator) from the npm registry into $1, once.
# The tests start its blob service as a child process (see AzuriteServer).
set -euo pipefail
target="$1"
version="3.37.0"
if [ -x "$target/node_modules/.bin/azurite-blob" ] && grep -q "\"version\": \"$version\"" "$target/node_modules/azurite/package.json" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to install Azurite for the Azure tests (Debian: apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$target"
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$target" "azurite@$version"
