#!/usr/bin/env bash
# Install listlint for the GitHub Action: a released version, or the action's own checkout.
set -euo pipefail
if [ -n "${LISTLINT_VERSION:-}" ]; then
  python3 -m pip install --quiet "listlint==${LISTLINT_VERSION}"
else
  python3 -m pip install --quiet "${ACTION_PATH:?}"
fi
