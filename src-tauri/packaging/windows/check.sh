#!/usr/bin/env bash
# Windows, proven under Wine: builds mypay-desk.exe and its installer (build.sh), installs it
# silently into a fresh Wine prefix whose user is «Mario Rossi» (a space in the profile's path),
# runs the installed program's headless job against the MyPay emulator started natively on
# loopback, holds the database from another process, uninstalls and checks what is left.
#
#   bash src-tauri/packaging/windows/check.sh [--debug]
#
# --debug builds the debug .exe (console subsystem, faster to build: what CI runs); without it
# the release .exe, as clerks get it (GUI subsystem, attaching to the parent console).
# Installs what is missing on Debian: gcc-mingw-w64-x86-64, binutils-mingw-w64-x86-64, nsis,
# wine64, jq, file, curl (as root or through sudo), and the Rust target x86_64-pc-windows-gnu
# through rustup.
# Environment:
#   CARGO_TARGET_DIR  where the Windows build goes (default: target/ of the checkout); keep it
#                     apart from the native tests' folder on a shared machine
#   MYPAY_DESK_BIN    the native mypay-desk that runs the emulator (default: built here with
#                     `cargo build -p mypay-desk` into the same CARGO_TARGET_DIR)
#   MPD_WINDOWS_KEEP=1  keep the Wine prefix and the logs (they are kept anyway on a failure)
#   MPD_WINDOWS_SKIP_BUILD=1  use what build.sh last wrote under CARGO_TARGET_DIR (to rerun the
#                     Wine part while working on this script)
# Each step prints what it checks; the script stops at the first failure with a non-zero exit
# code (3: a prerequisite could not be installed, with what to do).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
profile=release
build_args=()
for a in "$@"; do
  case "$a" in
    --debug) profile=debug; build_args=(--debug) ;;
    *) echo "windows/check.sh: unknown argument $a (only --debug)" >&2; exit 2 ;;
  esac
done
target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TERM_COLOR=never
started=$(date +%s)

step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
fail() {
  printf '\nwindows/check.sh: FAILED: %s\n' "$*" >&2
  [ -n "${work:-}" ] && printf 'windows/check.sh: the Wine prefix and the logs are in %s\n' "$work" >&2
  exit 1
}
missing() { printf 'windows/check.sh: %s\n' "$*" >&2; exit 3; }

# ---------------------------------------------------------------------------------------------
step "prerequisites: MinGW-w64, NSIS, Wine (64-bit), jq, the Rust target $target"
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
packages=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis wine64 jq file curl)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "   installing ${need[*]}"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 update -qq ||
    missing "apt-get update failed: install ${need[*]} by hand, then run this again"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${need[@]}" >/dev/null ||
    missing "could not install ${need[*]} (apt-get): install them by hand, then run this again"
fi
command -v rustup >/dev/null || missing "rustup not found: the Rust target $target is installed through rustup
  (https://rustup.rs), which this Rust installation lacks; install Rust with rustup, or build and
  check on a Windows PC instead (README, \"Windows\")."
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "   rustup target add $target"
  rustup target add "$target" || missing "the Rust target $target could not be installed.
  rustup needs its server (static.rust-lang.org) for this. Where that is blocked:
  * point rustup at a mirror the network allows: RUSTUP_DIST_SERVER=https://mirror.example \\
      rustup target add $target
  * or, on a machine with the network, download rust-std-\$(rustc --version | cut -d' ' -f2)-$target.tar.xz
      from https://static.rust-lang.org/dist/, copy it here, unpack it and run
      ./install.sh --prefix=\"\$(rustc --print sysroot)\" --components=rust-std-$target
  * or build and check on a Windows PC instead (README, \"Windows\").
  Nothing else in this check can run without it."
fi
# Debian's wine64 package has no `wine` on PATH (the `wine` package adds it); WineHQ's has.
wine=$(command -v wine64 || command -v wine || true)
[ -z "$wine" ] && [ -x /usr/lib/wine/wine64 ] && wine=/usr/lib/wine/wine64
[ -n "$wine" ] || missing "Wine not found after installing wine64"
wineserver=$(command -v wineserver || true)
[ -z "$wineserver" ] && [ -x "$(dirname "$wine")/wineserver" ] && wineserver=$(dirname "$wine")/wineserver
[ -n "$wineserver" ] || missing "wineserver not found next to $wine"
wine_version=$("$wine" --version)
ok "$wine_version; $(x86_64-w64-mingw32-gcc --version | head -1); $(makensis -VERSION 2>/dev/null || true) makensis"

# ---------------------------------------------------------------------------------------------
step "the native mypay-desk that runs the emulator"
if [ -n "${MYPAY_DESK_BIN:-}" ]; then
  bin=$MYPAY_DESK_BIN
  [ -x "$bin" ] || fail "MYPAY_DESK_BIN=$bin is not an executable file"
else
  (cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build) >/dev/null
  cargo build -p mypay-desk --locked
  bin=$target_dir/debug/mypay-desk
fi
"$bin" --version >/dev/null || fail "$bin does not run"
ok "$bin"

# ---------------------------------------------------------------------------------------------
step "mypay-desk.exe and the installer ($profile, build.sh, CARGO_TARGET_DIR=$target_dir)"
build_started=$(date +%s)
if [ "${MPD_WINDOWS_SKIP_BUILD:-}" = 1 ]; then
  echo "   MPD_WINDOWS_SKIP_BUILD=1: the .exe and installer of the last build.sh run"
else
  bash "$here/build.sh" "${build_args[@]}"
fi
build_secs=$(( $(date +%s) - build_started ))
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' src-tauri/tauri.conf.json | head -1)
stage=$target_dir/windows/MyPayDesk-$version
setup=$target_dir/windows/MyPayDesk-$version-setup.exe
file -b "$stage/mypay-desk.exe" | grep -q '^PE32+ executable.*x86-64' ||
  fail "mypay-desk.exe is not a 64-bit Windows executable: $(file -b "$stage/mypay-desk.exe")"
{ file -b "$setup" | grep -q '^PE32+ executable.*x86-64' && LC_ALL=C grep -qa NullsoftInst "$setup"; } ||
  fail "the installer is not a 64-bit NSIS installer (Target amd64-unicode): $(file -b "$setup")"
ok "64-bit .exe and 64-bit NSIS installer ($(du -h "$setup" | cut -f1)), built in ${build_secs}s"

# ---------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/mpd-windows-check.XXXXXX")
sim_pid=""
cleanup() {
  local rc=$?
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  if [ -n "${WINEPREFIX:-}" ]; then "$wineserver" -k 2>/dev/null || true; fi
  if [ "$rc" -eq 0 ] && [ "${MPD_WINDOWS_KEEP:-}" != 1 ]; then rm -rf "$work"; fi
  return "$rc"
}
trap cleanup EXIT
# A fresh prefix of user «Mario Rossi»: Wine names the profile folder after $USER.
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all USER="Mario Rossi" LOGNAME="Mario Rossi"
# No Mono or Gecko installers in the new prefix (nothing here needs them), no display needed.
export WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
# The keyring and the environment the installed program gets: only what the check sets.
unset MYPAY_DESK_PASSWORD MYPAY_DESK_CLIENT_SECRET MYPAY_DESK_DB MYPAY_DESK_LOG
# Windows paths: C:\ is the prefix's drive_c.
drive_c=$WINEPREFIX/drive_c
profile_win='C:\users\Mario Rossi'
profile_unix="$drive_c/users/Mario Rossi"
step "a fresh Wine prefix in $WINEPREFIX, user «Mario Rossi»"
timeout 300 "$wine" wineboot -i > "$work/wineboot.log" 2>&1 || fail "wineboot: $(tail -5 "$work/wineboot.log")"
"$wineserver" -w
[ -d "$profile_unix" ] || fail "no profile folder «$profile_win»: $(ls "$drive_c/users")"
# Wine links the profile's Desktop, Documents, Downloads… to the Unix user's home: folders of
# their own instead, so that nothing this check writes there lands in $HOME, and a second run
# starts as fresh as the first.
for d in "$profile_unix"/*; do
  if [ -L "$d" ]; then rm "$d" && mkdir "$d"; fi
done
ok "profile folder $profile_win"

step "ProcessPrng (bcryptprimitives.dll, which Rust's standard library needs)"
# Every DLL Wine implements has its copy in the prefix's system32; Wine 8.0 has none of this one.
sys32=$drive_c/windows/system32
if [ -f "$sys32/bcryptprimitives.dll" ] &&
  x86_64-w64-mingw32-objdump -p "$sys32/bcryptprimitives.dll" 2>/dev/null | grep -qw ProcessPrng; then
  ok "$wine_version has it: no stand-in"
else
  x86_64-w64-mingw32-gcc -O2 -Wall -shared -o "$sys32/bcryptprimitives.dll" "$here/wine/processprng.c" -ladvapi32
  ok "$wine_version lacks it: stand-in built from wine/processprng.c into this prefix's system32 only"
fi

# ---------------------------------------------------------------------------------------------
step "silent install (/S), per user, no administrator"
cp "$setup" "$drive_c/users/Mario Rossi/Downloads/"
setup_win="$profile_win\\Downloads\\$(basename "$setup")"
timeout 300 "$wine" "$setup_win" /S > "$work/install.log" 2>&1 || fail "the installer exited $?: $(tail -5 "$work/install.log")"
"$wineserver" -w
inst_win="$profile_win\\AppData\\Local\\Programs\\MyPay Desk"
inst="$profile_unix/AppData/Local/Programs/MyPay Desk"
exe_win="$inst_win\\mypay-desk.exe"
listing=$(cd "$inst" 2>/dev/null && ls | sort | tr '\n' ' ') || fail "nothing installed in $inst_win"
[ "$listing" = "WebView2Loader.dll mypay-desk.exe uninstall.exe " ] ||
  fail "$inst_win holds «$listing», expected mypay-desk.exe, WebView2Loader.dll, uninstall.exe (and no stand-in DLL)"
ok "$inst_win: mypay-desk.exe, WebView2Loader.dll, uninstall.exe"
menu="$profile_unix/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/MyPay Desk"
for l in "MyPay Desk.lnk" "Disinstalla MyPay Desk.lnk"; do
  [ -f "$menu/$l" ] || fail "no Start-menu shortcut «$l» in $menu"
done
desktop_lnk="$profile_unix/Desktop/MyPay Desk.lnk"
[ -f "$desktop_lnk" ] || fail "no desktop shortcut"
ok "shortcuts: Start menu (MyPay Desk, Disinstalla MyPay Desk) and desktop"
uninst_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MyPayDesk'
"$wine" reg query "$uninst_key" /v UninstallString > "$work/reg.log" 2>&1 ||
  fail "no uninstall entry $uninst_key: $(cat "$work/reg.log")"
grep -q 'uninstall.exe' "$work/reg.log" || fail "the uninstall entry does not name uninstall.exe: $(cat "$work/reg.log")"
ok "uninstall entry in HKCU (current user only)"

# ---------------------------------------------------------------------------------------------
step "the MyPay emulator, native, on loopback"
docs_win="$profile_win\\Documents\\Tributi città"
docs="$profile_unix/Documents/Tributi città"
mkdir -p "$docs"
# The emulator's side of the Ente (with the web-service password the clerk will type).
cat > "$work/ente-emulatore.toml" <<'EOF'
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456782"
denominazione = "Comune di Salò"
codice_segregazione = "12"
password = "Segreta-Pw-123"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
scadenza_obbligatoria = true
EOF
"$bin" --json sim --port 0 --batch-ms 300 --data "$work/emulatore" --config "$work/ente-emulatore.toml" \
  > "$work/sim.json" 2> "$work/sim.log" &
sim_pid=$!
url=""
for _ in $(seq 150); do
  url=$(jq -r '.url // empty' "$work/sim.json" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || fail "the emulator did not start: $(cat "$work/sim.log")"
curl -sf "$url/ws/pa/PagamentiTelematiciDovutiPagati.wsdl" >/dev/null || fail "the emulator does not answer on $url"
ok "$url (pid $sim_pid)"

# Runs the installed program: mpd NAME ARGS… keeps stdout, stderr and the exit code in
# $work/NAME.{out,err,rc}; `mpd_ok` also requires exit code 0 and, with --json, a JSON document.
mpd() {
  local name=$1; shift
  local rc=0
  timeout 300 "$wine" "$exe_win" "$@" > "$work/$name.out" 2> "$work/$name.err" < "${mpd_stdin:-/dev/null}" || rc=$?
  echo "$rc" > "$work/$name.rc"
  return 0
}
said() { printf '%s\n--- stdout:\n%s\n--- stderr:\n%s' "$1" "$(head -c 3000 "$work/$1.out")" "$(head -c 3000 "$work/$1.err")"; }
rc_of() { cat "$work/$1.rc"; }
mpd_ok() {
  local name=$1
  mpd "$@"
  [ "$(rc_of "$name")" = 0 ] || fail "exit code $(rc_of "$name"), expected 0: $(said "$name")"
  if [[ " $* " == *" --json "* ]]; then
    jq -e . "$work/$name.out" >/dev/null 2>&1 || fail "not one JSON document: $(said "$name")"
  fi
}
# jq_ok NAME FILTER WHAT: the JSON of NAME satisfies FILTER.
jq_ok() { jq -e "$2" "$work/$1.out" >/dev/null || fail "$3: $(said "$1")"; }

# ---------------------------------------------------------------------------------------------
step "the Ente's profile from a Windows path (backslashes, drive letter, CRLF, accents, a logo beside it)"
# Written by Notepad: CRLF. The logo is named relative to the profile's own folder.
sed 's/$/\r/' > "$docs/Profilo Ente Salò.toml" <<'EOF'
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456782"
denominazione = "Comune di Salò"
codice_segregazione = "12"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
scadenza_obbligatoria = true

[avviso]
settore = "Ufficio Tributi"
logo = "stemma comunale.png"
EOF
cp src-tauri/icons/32x32.png "$docs/stemma comunale.png"
mpd_ok ente --json ente set "$docs_win\\Profilo Ente Salò.toml"
jq_ok ente '.ente.ente.denominazione == "Comune di Salò" and .ente.extra.avviso.logo != null' "the profile as read back"
data_win="$profile_win\\AppData\\Roaming\\MyPayDesk\\MyPay Desk\\data"
data="$profile_unix/AppData/Roaming/MyPayDesk/MyPay Desk/data"
[ -f "$data/mypay-desk.sqlite" ] || fail "no database in $data_win: $(find "$profile_unix/AppData" -name '*.sqlite')"
ls "$data"/logo-ente.* >/dev/null 2>&1 || fail "the logo was not copied into $data_win"
ok "profile loaded; database and logo in $data_win (%APPDATA% of «Mario Rossi»)"

mpd_ok connessione --json --env custom --base-url "$url" connection set
jq_ok connessione ".ambiente == \"custom\" and .indirizzi.custom == \"$url\"" "the connection as stored"
ok "connection: custom, $url"

# ---------------------------------------------------------------------------------------------
step "a spreadsheet saved by Excel on Windows: CSV, ';', CRLF, Windows-1252, an accented file name"
roll="Ruolo TARI 2030 – Città di Salò.csv"
printf '%s\r\n' \
  'Codice fiscale;Cognome e nome;Tipo dovuto;Causale;Importo;Scadenza' \
  'RSSMRA80A01H501U;Rossi Nicolò;TARI;TARI 2030 – saldo;120,50;31/12/2030' \
  'VRDLGU75B02F205A;Verdi Luigi;TARI;TARI 2030;80,00;31/12/2030' \
  'BNCGNN70A41F205Y;Bianchi Giovanna;TARI;TARI 2030;95,00;31/12/2030' \
  '02342520158;Società Agricola Pèrgola Srl;TARI;TARI 2030 – utenza non domestica;250,00;31/12/2030' |
  iconv -f UTF-8 -t WINDOWS-1252 > "$docs/$roll"
mpd_ok importa --json debts import "$docs_win\\$roll"
jq_ok importa '.importate == 4 and .errori == []' "4 debts imported"
jq_ok importa '.foglio.note | any(test("windows-1252"))' "the encoding recognised as windows-1252"
mpd_ok elenco --json debts list
jq_ok elenco '[.[].anagrafica] | sort == ["Bianchi Giovanna", "Rossi Nicolò", "Società Agricola Pèrgola Srl", "Verdi Luigi"]' "names with accents as typed"
jq_ok elenco '[.[].causale] | any(. == "TARI 2030 – saldo")' "a causale with an en dash, no trailing CR"
ok "4 debts from $docs_win\\$roll, accents and dash intact, no CR left in a field"

step "the same file by a relative name, from its folder; a missing file; a file with a wrong row"
(cd "$docs" && mpd relativo --json debts import "$roll")
[ "$(rc_of relativo)" = 2 ] || fail "the same roll again: exit code $(rc_of relativo), expected 2: $(said relativo)"
jq_ok relativo '.codice == "file_gia_importato"' "the same roll again, by its relative name, is refused"
ok "the same roll again, by its relative name from its folder: exit 2, «$(head -1 "$work/relativo.err")»"
mpd mancante debts import 'C:\Tributi\non esiste.csv'
[ "$(rc_of mancante)" = 2 ] || fail "a missing file: exit code $(rc_of mancante), expected 2: $(said mancante)"
grep -q 'C:\\Tributi\\non esiste.csv' "$work/mancante.err" ||
  fail "the message does not name the file as the clerk typed it: $(said mancante)"
ok "a missing file: exit 2, «$(head -1 "$work/mancante.err")»"
printf '%s\r\n' 'Codice fiscale;Cognome e nome;Tipo dovuto;Causale;Importo;Scadenza' \
  'RSSMRA80A01H501X;Rossi Mario;TARI;TARI 2030 acconto;12,00;31/12/2030' |
  iconv -f UTF-8 -t WINDOWS-1252 > "$docs/sbagliato.csv"
mpd sbagliato debts import "$docs_win\\sbagliato.csv"
[ "$(rc_of sbagliato)" = 1 ] || fail "a wrong row: exit code $(rc_of sbagliato), expected 1: $(said sbagliato)"
grep -q 'riga 2' "$work/sbagliato.out" || fail "the report does not name the row: $(said sbagliato)"
mpd_ok elenco2 --json debts list
jq_ok elenco2 'length == 4' "nothing imported from a file with a wrong row"
ok "a wrong row: exit 1, the report names row 2, nothing imported"

# ---------------------------------------------------------------------------------------------
step "build the flow into the data folder, check it from its Windows path"
mpd_ok flusso --json flow build
zip_win=$(jq -r '.flussi[0].percorso' "$work/flusso.out")
[[ "$zip_win" == "$data_win\\flussi\\"*.zip ]] || fail "the flow is not in $data_win\\flussi: $zip_win"
[ -f "$data/flussi/$(basename "${zip_win//\\//}")" ] || fail "$zip_win does not exist"
mpd_ok controllo --json flow check "$zip_win"
ok "$zip_win, checked with flow check"
mpd_ok pendenti --json flow pending
ok "flow pending answers"

step "submit to MyPay (the emulator) with the password from the environment; the outcome"
MYPAY_DESK_PASSWORD=Segreta-Pw-123 mpd_ok invio --json flow submit --all
jq_ok invio '.flussi[0].stato == "done" and .flussi[0].caricate == 4 and .flussi[0].scartate == 0' "4 rows loaded"
mpd_ok stato --json flow list
jq_ok stato '.[0].stato == "done" and .[0].caricate == 4' "the flow's outcome"
mpd_ok caricati --json debts list --state loaded
jq_ok caricati 'length == 4 and all(.[]; (.iuv | length) == 17)' "4 debts loaded, each with its IUV"
ok "flow done: 4 loaded, IUVs assigned; result file in $(ls "$data/flussi/esiti")"

# ---------------------------------------------------------------------------------------------
step "credentials set: the password into Windows' credential store, then a sync that uses it"
printf 'Segreta-Pw-123\r\n' > "$work/password.txt"
mpd_stdin=$work/password.txt mpd_ok credenziali credentials set
mpd_ok connessione2 --json connection show
jq_ok connessione2 '.password == "keyring"' "the password comes from the keyring"
ok "stored; connection show: password from the keyring"
"$bin" --json sim pay --url "$url" --ente c_x123 --share 0.5 --seed 3 > "$work/paga.out" || fail "sim pay failed"
paid=$(jq '.pagati | length' "$work/paga.out")
[ "$paid" -ge 1 ] || fail "the simulated citizens paid nothing: $(cat "$work/paga.out")"
sleep 1.1 # MyPay's incremental export is half-open to the second
mpd_ok sync --json sync
jq_ok sync ".ricevute.riepilogo.nuove == $paid and .ricevute.riepilogo.pagato == $paid and .errori == []" "$paid receipts downloaded and matched"
mpd_ok ricevute --json receipts list
jq_ok ricevute "[.[] | select(.esito == \"pagato\")] | length == $paid" "$paid receipts, each matched"
mpd_ok pagati --json debts list --state paid
jq_ok pagati "length == $paid" "$paid debts paid"
ls "$data/ricevute/"*.zip >/dev/null 2>&1 || fail "MyPay's export was not kept in $data_win\\ricevute"
ok "$paid simulated payments: receipts downloaded with the stored password, matched, debts paid"
# A wrong stored password: the sync fails and says so in Italian (the keyring is really read).
printf 'Sbagliata-1\r\n' > "$work/password.txt"
mpd_stdin=$work/password.txt mpd_ok credenziali2 credentials set
mpd sbagliata sync
[ "$(rc_of sbagliata)" = 2 ] || fail "a wrong stored password: exit code $(rc_of sbagliata), expected 2: $(said sbagliata)"
grep -q '^errore: .*password del servizio' "$work/sbagliata.err" || fail "the refusal does not speak of the password: $(said sbagliata)"
ok "with a wrong stored password the sync stops: «$(grep '^errore' "$work/sbagliata.err" | head -1)»"
printf 'Segreta-Pw-123\n' > "$work/password.txt"
mpd_stdin=$work/password.txt mpd_ok credenziali3 credentials set

step "at the counter: a debt created on MyPay, its notice PDF saved"
mpd_ok sportello --json counter new --cf RSSMRA80A01H501U --nome "Rossi Nicolò" --importo 16,00 \
  --scadenza 31/12/2030 --tipo TARI --causale "Diritti di segreteria – certificato"
jq_ok sportello '(.iuv | length) == 17 and (.numero_avviso | length) == 18' "IUV and notice number"
pdf_win=$(jq -r .pdf "$work/sportello.out")
[[ "$pdf_win" == "$data_win\\avvisi\\"*.pdf ]] || fail "the notice is not in $data_win\\avvisi: $pdf_win"
pdf="$data/avvisi/$(basename "${pdf_win//\\//}")"
[ "$(head -c 5 "$pdf" 2>/dev/null)" = "%PDF-" ] || fail "$pdf_win is not a PDF"
ok "$pdf_win ($(du -h "$pdf" | cut -f1))"
mpd_ok esporta --json debts export --out "$docs_win\\Dovuti Salò.xlsx"
[ "$(head -c 2 "$docs/Dovuti Salò.xlsx" 2>/dev/null)" = "PK" ] || fail "no Excel file at $docs_win\\Dovuti Salò.xlsx: $(said esporta)"
ok "debts export --out $docs_win\\Dovuti Salò.xlsx"
mpd_ok resoconto --json report --pdf "$docs_win\\Resoconto Salò.pdf" --xlsx "$docs_win\\Resoconto Salò.xlsx"
[ "$(head -c 5 "$docs/Resoconto Salò.pdf" 2>/dev/null)" = "%PDF-" ] && [ -s "$docs/Resoconto Salò.xlsx" ] ||
  fail "the report was not written where named: $(said resoconto)"
ok "report --pdf, --xlsx into $docs_win"
export_win="$data_win\\ricevute\\$(cd "$data/ricevute" && ls | head -1)"
mpd_ok reimporta --json receipts import "$export_win"
jq_ok reimporta ".nuove == 0 and .gia_presenti == $paid" "MyPay's export read again: nothing new"
ok "receipts import $export_win: the same $paid receipts, nothing new"

# ---------------------------------------------------------------------------------------------
step "another process holds the database: SQLite's write lock (the window saving), then the file itself"
# The archive is encrypted (SQLCipher): the holder is built against the same SQLCipher
# amalgamation and the OpenSSL the Windows build vendored, and opens the archive with its
# recovery code, which `archive key` prints (the key itself is in Windows' credential store).
sqlite_c=$(cargo metadata --format-version 1 --locked 2>/dev/null |
  jq -r '.packages[] | select(.name == "libsqlite3-sys") | .manifest_path' | head -1)
sqlite_c=$(dirname "$sqlite_c")/sqlcipher
[ -f "$sqlite_c/sqlite3.c" ] || fail "the SQLCipher amalgamation of libsqlite3-sys was not found ($sqlite_c)"
openssl_w=$(ls -d "$target_dir"/x86_64-pc-windows-gnu/"$profile"/build/openssl-sys-*/out/openssl-build/install 2>/dev/null | head -1)
[ -f "$openssl_w/lib/libcrypto.a" ] || fail "the OpenSSL of the Windows build was not found under $target_dir/x86_64-pc-windows-gnu/$profile/build"
x86_64-w64-mingw32-gcc -municode -O1 -w -DHOLD_SQLITE -DSQLITE_THREADSAFE=1 -DSQLITE_HAS_CODEC \
  -DSQLITE_TEMP_STORE=2 -DSQLITE_EXTRA_INIT=sqlcipher_extra_init -include stdint.h \
  -DSQLITE_EXTRA_SHUTDOWN=sqlcipher_extra_shutdown -I"$sqlite_c" -I"$openssl_w/include" \
  -o "$work/hold-db.exe" "$here/wine/hold-db.c" "$sqlite_c/sqlite3.c" "$openssl_w/lib/libcrypto.a" \
  -lws2_32 -lcrypt32 -lbcrypt -ladvapi32 -luser32 || fail "hold-db.exe could not be built"
mpd_ok chiave --json archive key
jq_ok chiave '.frase == false and (.testo | gsub("-"; "") | test("^[0-9A-F]{64}$"))' \
  "archive key: the recovery code of the key kept in Windows' credential store"
HOLD_DB_KEY=$(jq -r '.testo | gsub("-"; "")' "$work/chiave.out")
export HOLD_DB_KEY
ok "archive key: a recovery code (64 hexadecimal digits) for the key in Windows' credential store"
db_win="$data_win\\mypay-desk.sqlite"
# hold MODE: starts hold-db.exe and returns once it holds the database.
hold() {
  rm -f "$work/stop"
  "$wine" "$work/hold-db.exe" "$1" "$db_win" "Z:${work//\//\\}\\stop" > "$work/hold.out" 2> "$work/hold.err" &
  hold_pid=$!
  for _ in $(seq 150); do grep -q held "$work/hold.out" 2>/dev/null && return 0; sleep 0.2; done
  fail "hold-db.exe $1 did not take the database: $(cat "$work/hold.err")"
}
release() { touch "$work/stop"; wait "$hold_pid" || fail "hold-db.exe exited $?: $(cat "$work/hold.err")"; }
hold sqlite
mpd_ok letto --json debts list --state paid
jq_ok letto "length == $paid" "a reading command while the window writes"
mpd occupato debts add --cf BNCGNN70A41F205Y --nome "Bianchi Giovanna" --importo 10,00 --scadenza 31/12/2030 --tipo TARI
release
[ "$(rc_of occupato)" = 2 ] || fail "a write while another writes: exit code $(rc_of occupato), expected 2: $(said occupato)"
grep -q "in uso da un'altra finestra o un altro comando" "$work/occupato.err" ||
  fail "the busy archive is not explained in Italian: $(said occupato)"
ok "reads go on; a write waits, then: «$(head -1 "$work/occupato.err")» (exit 2)"
hold file
mpd bloccato debts list
release
[ "$(rc_of bloccato)" = 2 ] || fail "the database locked by another program: exit code $(rc_of bloccato), expected 2: $(said bloccato)"
grep -q "bloccato da un altro programma" "$work/bloccato.err" ||
  fail "the locked database is not explained in Italian: $(said bloccato)"
ok "a database file another program keeps open: «$(head -1 "$work/bloccato.err")» (exit 2)"
mpd_ok dopo --json debts list
jq_ok dopo 'length == 5' "everything there once the other program let go"
ok "once released, the archive is whole (5 debts)"

# ---------------------------------------------------------------------------------------------
step "a second archive named with --db (a Windows path with spaces and accents)"
mpd_ok altro --json --db "$docs_win\\Archivio di prova è.sqlite" ente set "$docs_win\\Profilo Ente Salò.toml"
mpd_ok altro2 --json --db "$docs_win\\Archivio di prova è.sqlite" debts list
jq_ok altro2 'length == 0' "an empty second archive"
[ -f "$docs/Archivio di prova è.sqlite" ] || fail "the --db file is not where it was named"
ok "$docs_win\\Archivio di prova è.sqlite"

# ---------------------------------------------------------------------------------------------
step "where the data went: only the data folder, under the user with a space"
for f in mypay-desk.sqlite flussi avvisi ricevute; do
  [ -e "$data/$f" ] || fail "$data_win\\$f missing"
done
grep -rqa 'Segreta-Pw-123' "$data" && fail "the password is written in the data folder"
# The archive is encrypted at rest (SQLCipher, the key in Windows' credential store): no SQLite
# header, not a codice fiscale or a name of the roll readable in it.
[ "$(head -c 15 "$data/mypay-desk.sqlite")" = "SQLite format 3" ] && fail "the archive is not encrypted"
grep -qa -e 'VRDLGU75B02F205A' -e 'Verdi Luigi' "$data/mypay-desk.sqlite" &&
  fail "a codice fiscale or a name can be read in the archive"
strays=$(find "$drive_c" -newer "$work/wineboot.log" -type f \( -name '*.sqlite' -o -name '*.zip' -o -name 'avviso_*.pdf' \) \
  ! -path "$data/*" ! -path "$docs/*" | head -5)
[ -z "$strays" ] || fail "files written outside the data folder: $strays"
ok "$data_win: $(cd "$data" && ls | tr '\n' ' ')(no password in it, the archive encrypted, nothing elsewhere)"

# ---------------------------------------------------------------------------------------------
step "silent uninstall: the program goes, the clerk's data stays"
"$wineserver" -w
timeout 300 "$wine" "$inst_win\\uninstall.exe" /S > "$work/uninstall.log" 2>&1 || fail "the uninstaller exited $?"
# NSIS runs the uninstaller from a copy in %TEMP% and returns at once: wait for it.
"$wineserver" -w
[ ! -e "$inst" ] || fail "$inst_win is still there: $(ls "$inst")"
[ ! -e "$menu" ] && [ ! -e "$desktop_lnk" ] || fail "a shortcut is still there"
if "$wine" reg query "$uninst_key" > /dev/null 2>&1; then fail "the uninstall entry is still in HKCU"; fi
ok "program folder, shortcuts and uninstall entry removed"
[ -f "$data/mypay-desk.sqlite" ] && [ -f "$pdf" ] || fail "the uninstaller removed the clerk's data"
ok "kept: $data_win ($(du -sh "$data" | cut -f1): the database, flows, receipts, notices)"

elapsed=$(( $(date +%s) - started ))
printf '\n== Windows check passed in %dm%02ds (build %dm%02ds, %s)\n' \
  $((elapsed / 60)) $((elapsed % 60)) $((build_secs / 60)) $((build_secs % 60)) "$wine_version"
