#!/usr/bin/env bash
# Run listlint for the GitHub Action: annotations on the pull request, only changed lines.
set -euo pipefail
args=(check --output-format github)
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_DIFF_BASE:-}" ]; then
  # A shallow checkout may lack the base commit; fetch it (one commit is enough).
  if ! git rev-parse --verify --quiet "${INPUT_DIFF_BASE}^{commit}" >/dev/null; then
    git fetch --quiet --depth=1 origin "$INPUT_DIFF_BASE" || true
  fi
  args+=(--diff-base "$INPUT_DIFF_BASE")
fi
paths=()
if [ -n "${INPUT_PATHS:-}" ]; then
  read -r -a paths <<<"$INPUT_PATHS"
elif [ -n "${INPUT_DIFF_BASE:-}" ]; then
  # NUL-separated, unquoted names: a file named 中文.md (or with a newline or a quote in
  # its name) arrives as it is on disk, not as git's quoted "\344\270\255..." form.
  while IFS= read -r -d '' f; do paths+=("$f"); done < <(
    git -c core.quotePath=false diff --name-only -z --diff-filter=ACMR "$INPUT_DIFF_BASE" \
      -- '*.md' '*.markdown'
  )
  if [ ${#paths[@]} -eq 0 ]; then
    echo "listlint: no Markdown file changed"
    exit 0
  fi
else
  paths=(.)
fi
if [ "${INPUT_LINKS:-false}" != true ]; then
  exec python3 -m listlint "${args[@]}" "${paths[@]}"
fi
# Also online: the links on the same lines (the pull request's), after the offline check.
# The exit code is the worse of the two (2 over 1 over 0).
rc=0
python3 -m listlint "${args[@]}" "${paths[@]}" || rc=$?
links_rc=0
python3 -m listlint links "${args[@]:1}" "${paths[@]}" || links_rc=$?
[ "$links_rc" -gt "$rc" ] && rc=$links_rc
exit "$rc"
