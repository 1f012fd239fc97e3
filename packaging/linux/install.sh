#!/usr/bin/env sh
# Install this Annotator build for the current user (no root): the program under
# $PREFIX/share/annotator, a launcher in $PREFIX/bin, a menu entry and its icon.
#     ./install.sh                 # PREFIX defaults to ~/.local
#     ./install.sh --uninstall
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
APP_DIR="$PREFIX/share/annotator/app"
DESKTOP="$PREFIX/share/applications/annotator.desktop"
ICON="$PREFIX/share/icons/hicolor/256x256/apps/annotator.png"
LAUNCHER="$PREFIX/bin/annotator"

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP_DIR" "$DESKTOP" "$ICON" "$LAUNCHER"
    echo "Annotator removed from $PREFIX"
    exit 0
fi

[ -x "$HERE/annotator" ] || { echo "install.sh: $HERE/annotator is missing; unpack the whole archive" >&2; exit 1; }
rm -rf "$APP_DIR"
mkdir -p "$APP_DIR" "$(dirname "$DESKTOP")" "$(dirname "$ICON")" "$(dirname "$LAUNCHER")"
cp -R "$HERE/annotator" "$HERE/_internal" "$APP_DIR/"
cp "$HERE/annotator.png" "$ICON"
ln -sf "$APP_DIR/annotator" "$LAUNCHER"
sed -e "s|^Exec=annotator |Exec=$APP_DIR/annotator |" "$HERE/annotator.desktop" > "$DESKTOP"
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$(dirname "$DESKTOP")" || true
fi
echo "Annotator installed in $APP_DIR (launcher: $LAUNCHER)"
