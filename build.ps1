<#
.SYNOPSIS
    Builds, tests and demonstrates the CloudIdentity module.
.DESCRIPTION
    Tasks:
      Build  Lays out an importable module at out/CloudIdentity (cmdlets in the root, engine and
             third-party assemblies in Dependencies/, MAML help in en-US/).
      Test   Build, then the engine's xunit tests, then the Pester tests in a child pwsh. Prints one
             closing line "N passed, N failed, N skipped" and exits non-zero on any failure.
      Demo   Build, then run the detections on the bundled sample logs (samples/) and, when the
             folder exists, on the real corpus in ../shared/corpus.
      Clean  Removes out/ and the projects' bin/obj folders.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the Pester files whose name matches (e.g. 'Get-CloudIdEvent'); the xunit run is skipped
    # unless -Engine is also given.
    [string] $PesterFilter,

    [switch] $SkipEngineTests
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'CloudIdentity'
$SharedRoot = [System.IO.Path]::GetFullPath((Join-Path $Root '../shared'))

. (Join-Path $Root 'src/Build/ConvertTo-MamlHelp.ps1')

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # The pwsh that runs this script: a native apphost where there is one, else pwsh.dll through dotnet.
    foreach ($name in 'pwsh', 'pwsh.exe') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path $candidate -PathType Leaf) { return , @($candidate) }
    }
    return , @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
}

function Invoke-Build {
    Write-Information "Building CloudIdentity ($Configuration)" -InformationAction Continue
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = Join-Path $ModuleOut 'Dependencies'
    $cmdletBin = Join-Path $Out "obj/cmdlets"
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/CloudIdentity.Engine/CloudIdentity.Engine.csproj'),
        '-c', $Configuration, '-o', $deps, '--nologo', '-v', 'quiet', '-p:GenerateDocumentationFile=false')
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/CloudIdentity/CloudIdentity.csproj'),
        '-c', $Configuration, '-o', $cmdletBin, '--nologo', '-v', 'quiet')
    # Only the cmdlet assembly sits in the module root; the engine must never load from here.
    Copy-Item (Join-Path $cmdletBin 'CloudIdentity.dll'), (Join-Path $cmdletBin 'CloudIdentity.pdb') $ModuleOut
    Copy-Item (Join-Path $Root 'CloudIdentity.psd1') $ModuleOut
    Get-ChildItem (Join-Path $Root 'src/CloudIdentity') -Filter '*.ps1xml' | Copy-Item -Destination $ModuleOut
    $helpOut = Join-Path $ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Path $helpOut -Force
    $docs = Join-Path $Root 'docs'
    ConvertTo-MamlHelp -DocsPath $docs -OutputPath (Join-Path $helpOut 'CloudIdentity.dll-Help.xml')
    # About topics are shown as plain text, with line 5 as their synopsis: convert, do not copy, the markdown.
    Get-ChildItem $docs -Filter 'about_*.md' -ErrorAction SilentlyContinue | ForEach-Object {
        $text = ConvertTo-AboutHelpText -Path $_.FullName
        [System.IO.File]::WriteAllText((Join-Path $helpOut ($_.BaseName + '.help.txt')), $text, [System.Text.UTF8Encoding]::new($false))
    }
    Write-Information "Module laid out at $(Join-Path $ModuleOut 'CloudIdentity.psd1')" -InformationAction Continue
}

function Get-TrxCounts([string] $TrxPath) {
    [xml] $trx = Get-Content -Raw $TrxPath
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Invoke-EngineTests {
    $results = Join-Path $Out 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    & dotnet test (Join-Path $Root 'tests/CloudIdentity.Engine.Tests/CloudIdentity.Engine.Tests.csproj') -c $Configuration `
        --nologo --logger 'trx;LogFileName=engine.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    $trx = Join-Path $results 'engine.trx'
    if (-not (Test-Path $trx)) { throw 'The engine tests did not produce a result file (build failure?).' }
    Get-TrxCounts $trx
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Restore/Restore.csproj'), '--nologo', '-v', 'quiet') | Out-Host
    $line = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $line.Trim() 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 6.2.0 was not restored to $pester." }
    $pester
}

function Install-NodePeers {
    $package = Join-Path $Root 'tests/node/package.json'
    if (-not (Test-Path $package)) { return }
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { Write-Warning 'npm is not installed: tests that need node peers will skip.'; return }
    Push-Location (Join-Path $Root 'tests/node')
    try { Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') | Out-Host } finally { Pop-Location }
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    Install-NodePeers
    $resultFile = Join-Path $Out 'TestResults/pester.json'
    if (Test-Path $resultFile) { Remove-Item $resultFile }
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $resultFile)
    $runner = Join-Path $Root 'tests/Invoke-PesterRun.ps1'
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runner,
        '-PesterPath', $pester, '-ModulePath', (Join-Path $ModuleOut 'CloudIdentity.psd1'), '-ResultFile', $resultFile)
    if ($PesterFilter) { $arguments += @('-Filter', $PesterFilter) }
    & $pwsh[0] @arguments | Out-Host
    if (-not (Test-Path $resultFile)) { throw 'The Pester run did not write its result file.' }
    Get-Content -Raw $resultFile | ConvertFrom-Json
}

function Invoke-Test {
    Invoke-Build
    $engine = if ($SkipEngineTests -or $PesterFilter) { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } } else { Invoke-EngineTests }
    $pester = Invoke-PesterTests
    $passed = $engine.Passed + $pester.Passed
    $failed = $engine.Failed + $pester.Failed
    $skipped = $engine.Skipped + $pester.Skipped
    Write-Information ("engine (xunit): {0} passed, {1} failed, {2} skipped; cmdlets (Pester): {3} passed, {4} failed, {5} skipped" -f `
        $engine.Passed, $engine.Failed, $engine.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped) -InformationAction Continue
    # The closing line CI reads.
    Write-Information ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped) -InformationAction Continue
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = Get-PwshCommand
    $demo = Join-Path $Root 'samples/Invoke-Demo.ps1'
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $demo,
        '-ModulePath', (Join-Path $ModuleOut 'CloudIdentity.psd1'), '-SharedRoot', $SharedRoot)
    & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Clean' {
        Remove-Item $Out -Recurse -Force -ErrorAction SilentlyContinue
        Get-ChildItem $Root -Include bin, obj -Recurse -Directory | Remove-Item -Recurse -Force
    }
}
