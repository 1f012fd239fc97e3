#!/usr/bin/env bash
# Build Annotator.app for this Mac's architecture (arm64 or x86_64: spaCy has no universal2
# wheels), self-test it, sign it when the signing secrets are set, wrap it in a .dmg,
# notarize and staple when the notary secrets are set, then install the .dmg's copy into a
# scratch Applications folder and self-test that copy.
#     bash packaging/build_macos.sh            (needs: pip install -e ".[package]")
# Signing (all optional; see packaging/README.md): MACOS_CERTIFICATE (base64 .p12),
# MACOS_CERTIFICATE_PASSWORD, MACOS_SIGN_IDENTITY; notarizing: APPLE_ID, APPLE_TEAM_ID,
# APPLE_APP_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(python packaging/bundle_rules.py version)
ARCH=${ANNOTATOR_TARGET_ARCH:-$(uname -m)}
export ANNOTATOR_TARGET_ARCH=$ARCH
APP=dist/Annotator.app
DMG="dist/Annotator-$VERSION-macos-$ARCH.dmg"
ENTITLEMENTS=packaging/macos/entitlements.plist
mkdir -p build dist

signing=no
if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${MACOS_CERTIFICATE_PASSWORD:-}" ] && [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    signing=yes
    keychain="$PWD/build/signing.keychain-db"
    keychain_password=$(uuidgen)
    trap 'security delete-keychain "$keychain" 2>/dev/null || true' EXIT
    echo "$MACOS_CERTIFICATE" | base64 --decode > build/certificate.p12
    security create-keychain -p "$keychain_password" "$keychain"
    security set-keychain-settings -lut 21600 "$keychain"
    security unlock-keychain -p "$keychain_password" "$keychain"
    security import build/certificate.p12 -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" -T /usr/bin/codesign
    security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain" >/dev/null
    # Add ours to the search list, keeping the existing keychains (one word each).
    # shellcheck disable=SC2046
    security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
    rm -f build/certificate.p12
    echo "signing with: $MACOS_SIGN_IDENTITY"
else
    unset MACOS_SIGN_IDENTITY  # the spec then leaves PyInstaller's ad-hoc signature
    echo "signing skipped: MACOS_CERTIFICATE, MACOS_CERTIFICATE_PASSWORD or MACOS_SIGN_IDENTITY not set"
fi

echo "== PyInstaller: Annotator $VERSION ($ARCH)"
started=$(date +%s)
python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/annotator.spec
echo "   built in $(( $(date +%s) - started )) s, $(du -sm "$APP" | cut -f1) MB"
lipo -archs "$APP/Contents/MacOS/Annotator"

if [ "$signing" = yes ]; then
    codesign --force --options runtime --timestamp --entitlements "$ENTITLEMENTS" \
        --sign "$MACOS_SIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
fi

echo "== self-test of the frozen app"
"$APP/Contents/MacOS/Annotator" --self-test --report build/selftest-frozen.json

echo "== disk image"
staging=$(mktemp -d)
cp -R "$APP" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$DMG"
hdiutil create -volname "Annotator $VERSION" -srcfolder "$staging" -ov -format UDZO "$DMG"
rm -rf "$staging"

if [ "$signing" = yes ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
    if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
        xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
            --password "$APPLE_APP_PASSWORD" --wait
        xcrun stapler staple "$DMG"
        xcrun stapler validate "$DMG"
    else
        echo "notarizing skipped: APPLE_ID, APPLE_TEAM_ID or APPLE_APP_PASSWORD not set"
    fi
else
    echo "notarizing skipped: the app is not signed"
fi

echo "== install from the disk image into a scratch Applications folder and self-test it"
mountpoint=$(mktemp -d)
apps=$(mktemp -d)
hdiutil attach "$DMG" -nobrowse -readonly -mountpoint "$mountpoint" >/dev/null
ditto "$mountpoint/Annotator.app" "$apps/Annotator.app"
hdiutil detach "$mountpoint" >/dev/null
"$apps/Annotator.app/Contents/MacOS/Annotator" --self-test --report build/selftest-installed.json
if [ "$signing" = yes ]; then
    codesign --verify --deep --strict "$apps/Annotator.app"
fi
rm -rf "$apps"
echo "disk image OK: $DMG"
