; Linkwatch's additions to electron-builder's NSIS script (picked up by name from build/installer.nsh).
;
; Start at login: Electron's app.setLoginItemSettings({ openAtLogin: true }) on Windows writes a value under
;   HKCU\Software\Microsoft\Windows\CurrentVersion\Run
; whose name defaults to the app's AppUserModelId (Electron's docs, LoginItemSettings.name), and Windows keeps
; the enabled/disabled switch of Task Manager's Startup tab under the same name in
;   HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run
; The AppUserModelId is the appId when main calls app.setAppUserModelId('org.linkwatch.app') (electron-builder's
; shortcut carries the same id); without that call Electron makes one up as "electron.app.<ProductName>".
; Uninstalling removes both spellings so no dead login item is left behind.
;
; Not on update: electron-builder runs the old version's uninstaller with --updated before installing the new
; one, and the user's choice to start at login must survive that.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${APP_ID}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "electron.app.${PRODUCT_NAME}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "${APP_ID}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "electron.app.${PRODUCT_NAME}"
  ${endIf}
!macroend
