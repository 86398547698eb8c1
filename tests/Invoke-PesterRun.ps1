<#
.SYNOPSIS
    Runs the Pester suite in its own process (so the module under test loads into a clean session) and writes
    the counts to a JSON file for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Filter
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:CLOUDID_MODULE_PATH = $ModulePath
$config = New-PesterConfiguration
$paths = Get-ChildItem (Join-Path $PSScriptRoot 'Pester') -Filter '*.Tests.ps1' -Recurse
if ($Filter) { $paths = $paths | Where-Object Name -Like "*$Filter*" }
$config.Run.Path = @($paths.FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = [System.IO.Path]::ChangeExtension($ResultFile, '.junit.xml')
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $ResultFile
