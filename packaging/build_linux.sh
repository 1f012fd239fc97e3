#!/usr/bin/env bash
# Build the Linux one-folder bundle, pack it as dist/annotator-VERSION-linux-ARCH.tar.gz and run
# the self-test on the frozen app and on a copy installed from the archive.
#     bash packaging/build_linux.sh            (needs: pip install -e ".[package]")
# Figures (build time, size, self-test time) go to build/linux-build.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
VERSION=$(python packaging/bundle_rules.py version)
ARCH=$(uname -m)
NAME="annotator-$VERSION-linux-$ARCH"
mkdir -p build dist

now() { python -c 'import time; print(f"{time.time():.3f}")'; }
seconds_since() { python -c "import time; print(f'{time.time() - $1:.1f}')"; }

echo "== PyInstaller: building $NAME"
started=$(now)
python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/annotator.spec
build_s=$(seconds_since "$started")
bundle_mb=$(du -sm dist/annotator | cut -f1)
echo "   built in ${build_s} s, ${bundle_mb} MB"

echo "== self-test of the frozen app"
started=$(now)
dist/annotator/annotator --self-test --report build/selftest-frozen.json
selftest_s=$(seconds_since "$started")

echo "== archive"
rm -rf "build/$NAME" && mkdir -p "build/$NAME"
cp -R dist/annotator/. "build/$NAME/"
cp packaging/linux/annotator.desktop packaging/linux/install.sh "build/$NAME/"
cp resources/app-icon.png "build/$NAME/annotator.png"
tar -C build -czf "dist/$NAME.tar.gz" "$NAME"
archive_mb=$(du -sm "dist/$NAME.tar.gz" | cut -f1)

echo "== install from the archive into a scratch prefix, self-test the installed copy"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar -C "$scratch" -xzf "dist/$NAME.tar.gz"
PREFIX="$scratch/prefix" sh "$scratch/$NAME/install.sh"
"$scratch/prefix/bin/annotator" --self-test --report build/selftest-installed.json
grep -q "^Exec=$scratch/prefix/share/annotator/app/annotator " "$scratch/prefix/share/applications/annotator.desktop"
PREFIX="$scratch/prefix" sh "$scratch/$NAME/install.sh" --uninstall
[ ! -e "$scratch/prefix/bin/annotator" ] && [ ! -e "$scratch/prefix/share/annotator/app" ]

cat > build/linux-build.json <<JSON
{"version": "$VERSION", "build_s": $build_s, "bundle_mb": $bundle_mb, "archive_mb": $archive_mb,
 "frozen_selftest_s": $selftest_s, "archive": "dist/$NAME.tar.gz"}
JSON
cat build/linux-build.json
