; MyPay Desk: per-user Windows installer, built offline on Linux with Debian's makensis
; (src-tauri/packaging/windows/build.sh passes the defines below). A 64-bit installer for the
; 64-bit program (Target amd64-unicode: a 32-bit one cannot run where only 64-bit programs can,
; a 64-bit-only Wine among them). No administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\MyPay Desk, shortcuts and the uninstall entry to the current user's
; Start menu and registry (HKCU). In Italian. Silent with /S (every question has its /SD
; answer); src-tauri/packaging/windows/check.sh installs and uninstalls it so under Wine.
;
; Defines: VERSION (0.1.0), STAGE (folder holding mypay-desk.exe and WebView2Loader.dll),
; OUTFILE (the setup .exe), ICON (.ico), and optionally BOOTSTRAPPER (Microsoft's
; MicrosoftEdgeWebview2Setup.exe, embedded and run only when the WebView2 runtime is missing).

Target amd64-unicode
!include "MUI2.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !error "VERSION not defined (use build.sh)"
!endif
!ifndef STAGE
  !error "STAGE not defined (use build.sh)"
!endif

!define PRODUCT "MyPay Desk"
!define EXE "mypay-desk.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MyPayDesk"
; The WebView2 runtime's id in EdgeUpdate (Microsoft's documented detection key).
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "Software\MyPayDesk" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1040 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1040 "FileDescription" "Installazione di ${PRODUCT}"
VIAddVersionKey /LANG=1040 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1040 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1040 "LegalCopyright" "EUPL-1.2"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Avvia ${PRODUCT}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
; The uninstaller says, before it starts, that the clerk's data stays.
!define MUI_UNCONFIRMPAGE_TEXT_TOP "Verrà rimosso il programma ${PRODUCT}. I dati dell'Ente (archivio dei dovuti e delle ricevute, flussi, avvisi) restano nella cartella $APPDATA\MyPayDesk e la password del servizio nel Gestore credenziali di Windows: li cancelli a mano solo se non servono più."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Italian"

; True when the WebView2 runtime is installed for the machine or for this user.
!macro HasWebView2 _out
  StrCpy ${_out} ""
  ReadRegStr ${_out} HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} ${_out} == ""
  ${OrIf} ${_out} == "0.0.0.0"
    ReadRegStr ${_out} HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} ${_out} == "0.0.0.0"
    StrCpy ${_out} ""
  ${EndIf}
!macroend

Section "${PRODUCT}" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\${EXE}"
  File "${STAGE}\WebView2Loader.dll"

  !insertmacro HasWebView2 $0
  ${If} $0 == ""
!ifdef BOOTSTRAPPER
    InitPluginsDir
    DetailPrint "Installazione del runtime Microsoft WebView2…"
    File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${BOOTSTRAPPER}"
    ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
    DetailPrint "WebView2: codice di uscita $1"
!else
    MessageBox MB_ICONEXCLAMATION|MB_OK "${PRODUCT} usa il runtime Microsoft Edge WebView2, che non risulta installato.$\r$\nLo installi da https://go.microsoft.com/fwlink/p/?LinkId=2124703 (o lo chieda all'assistenza informatica), poi avvii ${PRODUCT}." /SD IDOK
!endif
  ${EndIf}

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${EXE}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\Disinstalla ${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${EXE}"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\MyPayDesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; The clerk's data (%APPDATA%\MyPayDesk) and the keyring entries are left in place: an
; uninstall must never delete an Ente's debts or receipts.
Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\Disinstalla ${PRODUCT}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\MyPayDesk"
  DetailPrint "I dati dell'Ente restano in $APPDATA\MyPayDesk."
SectionEnd
