#!/bin/sh
# Install the unpacked netapp bundle for the current user (no root, no Python needed):
#   the app goes to ~/.local/opt/netapp, the command to ~/.local/bin/netapp,
#   the menu entry to ~/.local/share/applications, the icon to ~/.local/share/icons.
# Run it from the unpacked archive:  ./install.sh      Undo it with:  ./install.sh --uninstall
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/netapp
bin=$HOME/.local/bin
icons=$data/icons/hicolor

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$opt" "$bin/netapp" "$data/applications/netapp.desktop"
  find "$icons" -name netapp.png -delete 2>/dev/null || true
  rm -f "$icons/scalable/apps/netapp.svg"
  echo "netapp removed (your database in ${XDG_DATA_HOME:-$HOME/.local/share}/netapp is kept)"
  exit 0
fi

[ -x "$here/netapp/netapp" ] || { echo "install.sh: $here/netapp/netapp not found; run me from the unpacked archive" >&2; exit 1; }
mkdir -p "$opt" "$bin" "$data/applications" "$icons/scalable/apps"
rm -rf "$opt"
cp -R "$here/netapp" "$opt"
ln -sf "$opt/netapp" "$bin/netapp"
for size in 16 24 32 48 64 128 256 512; do
  if [ -f "$here/icons/netapp-$size.png" ]; then
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$here/icons/netapp-$size.png" "$icons/${size}x${size}/apps/netapp.png"
  fi
done
cp "$here/netapp.svg" "$icons/scalable/apps/netapp.svg"
sed "s|^Exec=.*|Exec=$opt/netapp %F|; s|^TryExec=.*|TryExec=$opt/netapp|" \
  "$here/netapp.desktop" > "$data/applications/netapp.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "netapp installed: $bin/netapp (menu entry: netapp)"
case ":$PATH:" in *":$bin:"*) ;; *) echo "note: add $bin to your PATH to start it as 'netapp'";; esac
