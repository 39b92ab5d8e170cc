#!/bin/sh
# Installs code-server (VS Code in a browser, from npm) for tests/test_server_editors.py on a
# machine that reaches the npm registry but not the servers that code-server's install
# scripts download from (prebuilt ripgrep and kerberos binaries). The install scripts are
# skipped; the native modules VS Code needs are built here instead (node-gyp, with the
# headers of the system's Node.js), and ripgrep is the system's, when installed. kerberos
# (proxy authentication) is left out. Needs Node.js 20 with its headers, make, g++; and,
# for the test, Chromium (Debian: apt-get install chromium ripgrep).
#   sh editors/vscode/install-code-server.sh [DEST]         (default /opt/listlint-code-server)
#   (cd editors/vscode && npm ci)
#   LISTLINT_CODE_SERVER=DEST/node_modules/.bin/code-server pytest tests/test_server_editors.py -k vscode
set -eu
dest=${1:-/opt/listlint-code-server}
version=4.100.3 # VS Code 1.100.3; later releases need Node.js 22 or 24
mkdir -p "$dest"
nodedir=$(dirname "$(dirname "$(command -v node)")")
[ -f "$nodedir/include/node/node.h" ] || { echo "install-code-server.sh: no Node.js headers in $nodedir/include/node" >&2; exit 2; }
export npm_config_nodedir="$nodedir"
cd "$dest"
npm install --ignore-scripts --omit=dev --no-audit --no-fund "code-server@$version"
npm_config_build_from_source=true npm rebuild argon2
cd node_modules/code-server/lib/vscode
npm install --ignore-scripts --omit=dev --no-audit --no-fund
npm rebuild native-watchdog @vscode/spdlog @vscode/deviceid @parcel/watcher
# node-pty's post-install script runs `npx node-gyp configure` (a download) after the
# build: build it with npm's own node-gyp instead.
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
(cd node_modules/node-pty && node "$gyp" rebuild)
# What code-server's own post-install script does after installing.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --ignore-scripts --omit=dev --no-audit --no-fund && node postinstall.mjs > /dev/null)
if command -v rg > /dev/null; then
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
fi
"$dest/node_modules/.bin/code-server" --version
