<#
.SYNOPSIS
    The main job on sample data: read CloudTrail logs and run the built-in detections.
    Called by `build.ps1 Demo` after the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $SharedRoot
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force

function Write-Heading([string] $Text) { "`n=== $Text ===`n" }

$rules = Get-CloudIdDetectionRule
Write-Heading "CloudIdentity $((Get-Module CloudIdentity).Version): $($rules.Count) built-in detection rules"

$story = Join-Path $PSScriptRoot 'attack-story'
Write-Heading "Bundled sample: samples/attack-story (a short intrusion, see samples/README.md)"
$events = Get-CloudIdEvent -Path $story -Recurse
"Read $($events.Count) events from $((Get-ChildItem $story -Recurse -File).Count) files (the digest file holds no events)."
$findings = $events | Invoke-CloudIdDetection
$findings | Sort-Object Time | Format-Table -AutoSize | Out-String -Width 200
"$($findings.Count) findings; by severity: " + (($findings | Group-Object Severity | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', ')

$corpus = if ($SharedRoot) { Join-Path $SharedRoot 'corpus/cloudtrail' }
if ($corpus -and (Test-Path $corpus)) {
    Write-Heading "Real corpus: CloudTrail logs from ../shared/corpus/cloudtrail (Stratus Red Team detonations, Elastic, OpenTelemetry and Loki test data, a LookupEvents example)"
    $paths = @('stratus-red-team', 'elastic', 'otel', 'loki', 'lookup-and-lake/lookup_events_awscli_example.json') | ForEach-Object { Join-Path $corpus $_ }
    $realEvents = Get-CloudIdEvent -Path $paths -Recurse -ErrorAction SilentlyContinue -ErrorVariable readErrors
    "Read $($realEvents.Count) events; $($readErrors.Count) input(s) were not CloudTrail records and were reported as errors."
    $realFindings = $realEvents | Invoke-CloudIdDetection
    "$($realFindings.Count) findings; the high and critical ones:"
    $realFindings | Where-Object Severity -ge 'High' | Sort-Object Time | Format-Table -AutoSize | Out-String -Width 200
    Write-Heading "Findings per rule on the real corpus"
    $realFindings | Group-Object RuleTitle | Sort-Object Count -Descending | Format-Table Count, Name -AutoSize | Out-String -Width 200

    $entra = Join-Path $SharedRoot 'corpus'
    Write-Heading "Real corpus: Entra ID and Azure Activity logs from ../shared/corpus/entra and azure-activity"
    $azureEvents = Get-CloudIdEvent -Path (Join-Path $entra 'entra'), (Join-Path $entra 'azure-activity') -Recurse -ErrorAction SilentlyContinue -ErrorVariable azureErrors
    "Read $($azureEvents.Count) events ($(($azureEvents | Group-Object LogSource | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', ')); $($azureErrors.Count) problem(s) were reported as errors: Panther's test-case wrappers (the events sit inside them), Identity Protection risk events, and timestamp-only records."
    $azureEvents | Invoke-CloudIdDetection | Sort-Object Time | Format-Table -AutoSize | Out-String -Width 200
}
else {
    "(../shared/corpus is not here: the real-corpus part of the demo is skipped.)"
}
