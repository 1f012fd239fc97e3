; Inno Setup script for the Windows installer: per-user install (no administrator rights),
; Start-menu entry, optional desktop icon, uninstaller. Built by packaging/build_windows.ps1:
;     iscc /DAppVersion=0.1.0 /DSourceDir=C:\...\dist\Annotator /OC:\...\dist packaging\windows\annotator.iss
; The version comes from pyproject.toml; SourceDir is the PyInstaller one-folder build.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z (build_windows.ps1 does)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\Annotator"
#endif
#define AppName "Annotator"
#define AppExe "Annotator.exe"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6A0C5B1E-3F4D-4E8B-9C7A-2D1F0E5B8A34}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Annotator
VersionInfoVersion={#AppVersion}
VersionInfoProductVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\app-icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputBaseFilename=Annotator-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: stale libraries from an older version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
