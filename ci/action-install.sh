#!/usr/bin/env bash
# Install listlint for the GitHub Action: the action's own checkout, or another commit or tag
# of the action's repository (listlint is not on PyPI yet).
set -euo pipefail
extra=""
if [ "${INPUT_LINKS:-false}" = true ]; then
  extra="[links]"  # the HTTP client `listlint links` needs
fi
if [ -n "${LISTLINT_VERSION:-}" ]; then
  python3 -m pip install --quiet \
    "listlint${extra} @ git+${SERVER_URL:-https://github.com}/${ACTION_REPOSITORY:?}@${LISTLINT_VERSION}"
else
  python3 -m pip install --quiet "${ACTION_PATH:?}${extra}"
fi
