#!/usr/bin/env bash
# Cross-builds MyPay Desk for Windows on Debian and wraps it in a per-user installer, offline:
#
#   bash src-tauri/packaging/windows/build.sh [--debug]
#
# Needs the Rust target x86_64-pc-windows-gnu (`rustup target add x86_64-pc-windows-gnu`),
# Debian's gcc-mingw-w64-x86-64 (linker, and C compiler for the bundled SQLite) and nsis
# (makensis), plus Node 20.19+ for the front end. Writes, under <target>/windows/:
#   MyPayDesk-<version>/          mypay-desk.exe + WebView2Loader.dll (runs from any folder)
#   MyPayDesk-<version>-setup.exe the per-user installer (installer.nsi, no admin rights)
# Set WEBVIEW2_BOOTSTRAPPER=/path/MicrosoftEdgeWebview2Setup.exe to embed Microsoft's
# bootstrapper, run by the installer only where the WebView2 runtime is missing.
# Exits 3, saying what is missing, when a prerequisite is not installed. check.sh (run by CI)
# calls it, then installs and runs the result under Wine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
target=x86_64-pc-windows-gnu
profile=release
[ "${1:-}" = "--debug" ] && profile=debug

missing() { echo "windows/build.sh: $1" >&2; exit 3; }
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  missing "the Rust target $target is not installed, so the Windows .exe cannot be built here.
  Install it with:  rustup target add $target
  (it needs rustup and a network connection; on a machine where that is impossible, build on
  Windows instead: see README, \"Packaging\")."
fi
command -v x86_64-w64-mingw32-gcc >/dev/null ||
  missing "x86_64-w64-mingw32-gcc not found: apt-get install gcc-mingw-w64-x86-64"
command -v makensis >/dev/null || missing "makensis not found: apt-get install nsis"
command -v x86_64-w64-mingw32-strip >/dev/null ||
  missing "x86_64-w64-mingw32-strip not found: apt-get install binutils-mingw-w64-x86-64"
command -v npm >/dev/null || missing "npm not found: Node 20.19+ is needed to build the front end (ui/)"

target_dir=${CARGO_TARGET_DIR:-$root/target}
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' src-tauri/tauri.conf.json | head -1)
out=$target_dir/windows
stage=$out/MyPayDesk-$version
setup=$out/MyPayDesk-$version-setup.exe

echo "== front end (ui/dist, embedded in the .exe)"
(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)

echo "== mypay-desk.exe ($target, $profile)"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
cargo_profile=(); [ "$profile" = release ] && cargo_profile=(--release)
cargo build -p mypay-desk --locked --target "$target" "${cargo_profile[@]}"
built=$target_dir/$target/$profile
exe=$built/mypay-desk.exe
[ -f "$exe" ] || { echo "windows/build.sh: $exe was not produced" >&2; exit 1; }

# webview2-com-sys copies the loader next to the build output; fall back to its OUT_DIR copy.
dll=$built/WebView2Loader.dll
if [ ! -f "$dll" ]; then
  dll=$(find "$built/build" -path '*webview2-com-sys-*/out/x64/WebView2Loader.dll' -print -quit 2>/dev/null || true)
fi
[ -n "$dll" ] && [ -f "$dll" ] || { echo "windows/build.sh: WebView2Loader.dll not found under $built" >&2; exit 1; }

rm -rf "$stage"
mkdir -p "$stage"
cp "$exe" "$dll" "$stage/"
# The workspace's release profile keeps debug info (for the benchmarks' profiles): ~300 MB of
# DWARF and symbols in the .exe. The clerk's copy needs neither (~300 MB → ~47 MB).
x86_64-w64-mingw32-strip --strip-all "$stage/mypay-desk.exe"

echo "== installer (makensis)"
defines=(-DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" -DICON="$root/src-tauri/icons/icon.ico")
if [ -n "${WEBVIEW2_BOOTSTRAPPER:-}" ]; then
  [ -f "$WEBVIEW2_BOOTSTRAPPER" ] || { echo "windows/build.sh: WEBVIEW2_BOOTSTRAPPER=$WEBVIEW2_BOOTSTRAPPER does not exist" >&2; exit 1; }
  defines+=(-DBOOTSTRAPPER="$WEBVIEW2_BOOTSTRAPPER")
fi
makensis -V2 -INPUTCHARSET UTF8 "${defines[@]}" "$here/installer.nsi"

echo "== done"
ls -l "$stage" "$setup"
echo "Copy $setup to a Windows 10/11 PC and run it (no administrator rights needed)."
