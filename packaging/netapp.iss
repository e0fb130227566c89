; Inno Setup script for netapp on Windows. build_installer.py runs it when iscc is on PATH:
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\netapp /DOutputDir=dist
;        /DOutputBase=netapp-0.1.0-windows-x86_64-setup /DIconFile=resources\icons\netapp.ico
;        packaging\netapp.iss
; UNTESTED: the project's CI runs on Linux; this script has not been compiled or run on Windows.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\netapp"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#ifndef OutputBase
  #define OutputBase "netapp-" + AppVersion + "-windows-setup"
#endif
#ifndef IconFile
  #define IconFile "..\resources\icons\netapp.ico"
#endif

[Setup]
AppId={{6E7C1C52-3F0B-4C8E-9B1F-5A0E2D6B7A41}
AppName=netapp
AppVersion={#AppVersion}
AppPublisher=netapp
DefaultDirName={autopf}\netapp
DefaultGroupName=netapp
DisableProgramGroupPage=yes
; Per-user install by default: no administrator rights needed.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBase}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\netapp.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\netapp"; Filename: "{app}\netapp.exe"
Name: "{group}\netapp self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\netapp-cli.exe"" --self-test"
Name: "{group}\Uninstall netapp"; Filename: "{uninstallexe}"
Name: "{autodesktop}\netapp"; Filename: "{app}\netapp.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\netapp.exe"; Description: "{cm:LaunchProgram,netapp}"; Flags: nowait postinstall skipifsilent

; The database lives in %LOCALAPPDATA%\netapp (the user data directory) and is kept on uninstall.
