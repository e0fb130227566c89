#!/usr/bin/env bash
# Install the Debian packages Qt needs, when they are missing and apt is available.
# Usage: scripts/sysdeps.sh [offscreen|xvfb]
set -eu
OFFSCREEN="libgl1 libegl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0"
XVFB="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
want="$OFFSCREEN"
[ "${1:-offscreen}" = "xvfb" ] && want="$OFFSCREEN $XVFB"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
else
  echo "netapp: not a Debian-like system; make sure Qt's libraries are installed:$want" >&2
  exit 0
fi
[ -z "$missing" ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "netapp: installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
  echo "netapp: installing system packages with sudo:$missing"
  sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends $missing
else
  echo "netapp: Qt needs these system packages, please install them:$missing" >&2
fi
