; Per-user Windows installer for cspdesk (Inno Setup 6): no administrator, no UAC prompt.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\cspdesk.iss     (after pyinstaller packaging\cspdesk.spec)
;
; Installs dist\cspdesk\ to %LOCALAPPDATA%\Programs\cspdesk, adds a Start menu shortcut,
; associates .cspdesk workspace files (HKCU\Software\Classes) and registers the uninstaller
; under the user (HKCU\...\Uninstall). Workspaces, backups and settings are the user's and are
; left alone on uninstall (%LOCALAPPDATA%\cspdesk, HKCU\Software\cspdesk).
; The workflow passes AppVersion, read from cspdesk/__init__.py; without it, the version
; resource of the built cspdesk.exe is used.

#define AppName "CSP Desk"
#define AppPublisher "cspdesk"
#define ExeName "cspdesk.exe"
#define GuiExeName "cspdesk-gui.exe"
#define ProgId "cspdesk.Workspace"
#define Bundle AddBackslash(SourcePath) + "..\..\dist\cspdesk"
#if !FileExists(Bundle + "\" + GuiExeName)
  #error No bundle at dist\cspdesk: run pyinstaller packaging\cspdesk.spec first
#endif
#define ExeVersion GetVersionNumbersString(Bundle + "\" + ExeName)
#ifndef AppVersion
  #define AppVersion ExeVersion
#endif

[Setup]
; AppId identifies the product for upgrades and the uninstaller: never change it.
AppId={{F8347775-3A11-4C69-8F65-E2C1705D3ADC}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#ExeVersion}
; Per user: no elevation, and no offer to install for all users.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\cspdesk
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableReadyPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#GuiExeName}
ChangesAssociations=yes
; Close a running copy before replacing its files (Restart Manager), and start it again.
CloseApplications=yes
RestartApplications=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist\installer
OutputBaseFilename=cspdesk-{#AppVersion}-setup
#if FileExists(AddBackslash(SourcePath) + "..\..\resources\icons\cspdesk.ico")
SetupIconFile=..\..\resources\icons\cspdesk.ico
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files an older version had must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#GuiExeName}"; WorkingDir: "{userdocs}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#GuiExeName}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Workspace files open in cspdesk (per user: HKCU\Software\Classes, never HKCR/HKLM).
Root: HKCU; Subkey: "Software\Classes\.cspdesk"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.cspdesk\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName} workspace"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExeName}"",0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExeName}"" --db ""%1"""
Root: HKCU; Subkey: "Software\Classes\Applications\{#GuiExeName}\SupportedTypes"; ValueType: string; ValueName: ".cspdesk"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#GuiExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
