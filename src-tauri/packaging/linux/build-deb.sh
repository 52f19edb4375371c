#!/usr/bin/env bash
# Builds the Debian package of MyPay Desk with the Tauri CLI from npm (@tauri-apps/cli, pinned in
# ui/package.json), offline:
#
#   bash src-tauri/packaging/linux/build-deb.sh      # → <target>/release/bundle/deb/*.deb
#
# A release build plus bundling takes ~8 minutes on 2 cores; not part of CI. Needs what
# .ci/setup installs (libwebkit2gtk-4.1-dev, Node 20.19+). Package settings (name, section,
# description, icons) are in src-tauri/tauri.conf.json, "bundle".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
echo "== front end (ui/dist, embedded in the binary)"
(cd ui && { [ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund; } && npm run build)
echo "== release build and .deb (tauri build --bundles deb)"
# Run from the repository root: the CLI finds src-tauri/tauri.conf.json below it.
ui/node_modules/.bin/tauri build --bundles deb "$@"
target_dir=${CARGO_TARGET_DIR:-$root/target}
ls -l "$target_dir"/release/bundle/deb/*.deb
