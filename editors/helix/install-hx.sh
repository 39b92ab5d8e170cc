#!/bin/sh
# Installs Helix for tests/test_server_editors.py on Debian 12 (bookworm), which has no
# Helix package: Debian 13 (trixie) has one, `hx`, built for glibc 2.39 or later (bookworm
# has 2.36). This takes trixie's hx, libc6 and libgcc-s1 with apt (a private package list:
# the system's sources and packages are left alone), unpacks them into DEST, and writes
# DEST/hx, which starts Helix through trixie's dynamic loader. Programs Helix starts (the
# language servers) run with the system's own libraries.
#   sh editors/helix/install-hx.sh [DEST] [SUITE]   (default /opt/listlint-hx, trixie)
#   LISTLINT_HX=/opt/listlint-hx/hx pytest tests/test_server_editors.py -k helix
# tmux is needed too (apt-get install tmux).
set -eu
dest=${1:-/opt/listlint-hx}
suite=${2:-trixie}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest"
# The Debian mirror the system's own apt uses (its first source that is not the security one).
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
  | awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}')
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | awk '$1 == "URIs:" && $2 !~ /security/ {print $2; exit}')
[ -n "$mirror" ] || { echo "install-hx.sh: no Debian mirror in /etc/apt" >&2; exit 2; }
echo "deb $mirror $suite main" > "$work/sources.list"
apt="-o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/dev/null"
apt="$apt -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache"
# shellcheck disable=SC2086
apt-get $apt -q update
cd "$work"
# shellcheck disable=SC2086
apt-get $apt -q download hx libc6 libgcc-s1
for deb in ./*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
lib="$dest/root/usr/lib/x86_64-linux-gnu"
cat > "$dest/hx" <<WRAP
#!/bin/sh
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$dest/root/usr/lib/hx/hx" "\$@"
WRAP
chmod +x "$dest/hx"
"$dest/hx" --version
