# Build the Windows bundle and installer, then self-test the frozen app and a silently
# installed copy (installed, self-tested, uninstalled).
#     pwsh packaging/build_windows.ps1              (needs: pip install -e ".[package]", Inno Setup 6)
#     pwsh packaging/build_windows.ps1 -SkipInstallTest
param([switch]$SkipInstallTest)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$version = (python packaging/bundle_rules.py version).Trim()
New-Item -ItemType Directory -Force build, dist | Out-Null

# Annotator.exe is a windowed program: the shell does not wait for it and it has no stdout,
# so wait for the process and read the report file it writes.
# A crash at start-up shows a dialog nobody will click on a build machine: give up after 10 min.
function Invoke-SelfTest([string]$exe, [string]$report) {
    $report = Join-Path (Get-Location) $report
    $proc = Start-Process -FilePath $exe -ArgumentList @("--self-test", "--report", "`"$report`"") -PassThru
    $null = $proc.Handle  # keeps the exit code readable after the process ends
    if (-not $proc.WaitForExit(600000)) {
        Stop-Process -Id $proc.Id -Force
        throw "self-test of $exe did not finish within 10 minutes"
    }
    if (Test-Path $report) { Get-Content $report | Write-Host } else { Write-Host "no report at $report" }
    if ($proc.ExitCode -ne 0) { throw "self-test of $exe failed (exit code $($proc.ExitCode))" }
}

Write-Host "== PyInstaller: Annotator $version"
$watch = [Diagnostics.Stopwatch]::StartNew()
python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/annotator.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$size = (Get-ChildItem dist/Annotator -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
Write-Host ("   built in {0:N0} s, {1:N0} MB" -f $watch.Elapsed.TotalSeconds, $size)

Write-Host "== self-test of the frozen app"
Invoke-SelfTest "dist\Annotator\Annotator.exe" "build\selftest-frozen.json"

Write-Host "== installer"
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { throw "Inno Setup 6 (iscc) not found: choco install innosetup" }
& $iscc "/DAppVersion=$version" "/DSourceDir=$((Resolve-Path dist/Annotator).Path)" "/O$((Resolve-Path dist).Path)" packaging\windows\annotator.iss
if ($LASTEXITCODE -ne 0) { throw "iscc failed" }
$setup = "dist\Annotator-$version-windows-x64-setup.exe"

if ($SkipInstallTest) { exit 0 }
Write-Host "== silent per-user install, self-test of the installed copy, uninstall"
$target = Join-Path $env:LOCALAPPDATA "Programs\Annotator-install-test"
$proc = Start-Process -FilePath $setup -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/DIR=`"$target`"", "/LOG=`"$((Get-Location).Path)\build\install.log`"") -Wait -PassThru
if ($proc.ExitCode -ne 0) { throw "the installer failed (exit code $($proc.ExitCode)); see build\install.log" }
$shortcut = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\Annotator.lnk"
if (-not (Test-Path $shortcut)) { throw "no Start-menu entry at $shortcut" }
Invoke-SelfTest "$target\Annotator.exe" "build\selftest-installed.json"
$proc = Start-Process -FilePath "$target\unins000.exe" -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART") -Wait -PassThru
if ($proc.ExitCode -ne 0) { throw "the uninstaller failed (exit code $($proc.ExitCode))" }
# The uninstaller finishes from a temporary copy of itself: give it a moment to remove the folder.
for ($i = 0; $i -lt 60 -and (Test-Path "$target\Annotator.exe"); $i++) { Start-Sleep -Seconds 1 }
if (Test-Path "$target\Annotator.exe") { throw "the uninstaller left $target\Annotator.exe behind" }
if (Test-Path $shortcut) { throw "the uninstaller left the Start-menu entry behind" }
Write-Host "installer OK: $setup"
