#!/bin/sh
set -e
# Installs a CLI at every container start: scaling waits on npm.
npm install -g pm2
curl -fsSL https://example.com/agent/install.sh | sh
exec "$@"
