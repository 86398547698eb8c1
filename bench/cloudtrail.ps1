<#
.SYNOPSIS
    CloudTrail reading and detection benchmark.
.DESCRIPTION
    Generates a CloudTrail data set from real record shapes (the Stratus Red Team detonations in ../shared/corpus when
    present, plus the bundled samples), gzipped the way CloudTrail delivers it, then reports in one run:
      - Get-CloudIdEvent | Invoke-CloudIdDetection with the whole built-in pack (events/s, MB/s, peak memory)
      - gzip -dc of the same files (the decompression limit)
      - jq selecting one eventName
      - the naive Get-Content | ConvertFrom-Json | Where-Object an admin would write (on a sample of the files)
    and the peak memory of the module's pipeline at two input sizes, to show it does not grow with input.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/cloudtrail.ps1 -SizeMB 1024
#>
param(
    [int] $SizeMB = 1024,
    [string] $DataPath = (Join-Path $PSScriptRoot 'data/cloudtrail'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudIdentity/CloudIdentity.psd1'),
    [int] $RecordsPerFile = 5000,
    [double] $NaiveFraction = 0.02,
    # Share of records drawn from shapes that raise findings.
    [double] $AttackShare = 0.005
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if (-not (Test-Path $ModulePath)) { throw "Build the module first: dotnet pwsh ./build.ps1 Build" }
$ModulePath = (Resolve-Path $ModulePath).Path
$PwshExe, $PwshArgs = if (Test-Path (Join-Path $PSHOME 'pwsh')) { (Join-Path $PSHOME 'pwsh'), @() } else { 'dotnet', @(Join-Path $PSHOME 'pwsh.dll') }

function Get-Templates {
    $sources = @(Join-Path $PSScriptRoot '../samples/attack-story')
    $stratus = Join-Path $PSScriptRoot '../../shared/corpus/cloudtrail/stratus-red-team'
    if (Test-Path $stratus) { $sources += $stratus }
    Import-Module $ModulePath
    # Real trails are mostly routine calls: records that raise no finding on their own are the background, and
    # the ones that do are mixed in at $AttackShare.
    $benign = [System.Collections.Generic.List[string]]::new()
    $attack = [System.Collections.Generic.List[string]]::new()
    foreach ($e in (Get-CloudIdEvent -Path $sources -Recurse)) {
        $json = $e.Raw.ToJson()
        # Placeholders for the per-record values.
        $json = $json -replace '"eventID":"[^"]*"', '"eventID":"@ID@"' -replace '"eventTime":"[^"]*"', '"eventTime":"@TIME@"'
        if (@($e | Invoke-CloudIdDetection).Count -gt 0) { $attack.Add($json) } else { $benign.Add($json) }
    }
    [pscustomobject]@{ Benign = $benign.ToArray(); Attack = $attack.ToArray() }
}

function New-DataSet([int] $TargetMB, [string] $Folder) {
    $marker = Join-Path $Folder ".complete-$TargetMB"
    if (Test-Path $marker) { return }
    if (Test-Path $Folder) { Remove-Item $Folder -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $Folder
    $templates = Get-Templates
    Write-Information "Generating $TargetMB MB of CloudTrail JSON from $($templates.Benign.Count) routine and $($templates.Attack.Count) attack record shapes into $Folder" -InformationAction Continue
    $target = [long]$TargetMB * 1MB
    $written = 0L; $file = 0; $n = 0L
    $rng = [System.Random]::new(42)
    $start = [DateTimeOffset]'2026-11-01T00:00:00Z'
    while ($written -lt $target) {
        $day = $start.AddMinutes($file * 5)
        $dir = Join-Path $Folder ("AWSLogs/111122223333/CloudTrail/us-east-1/{0:yyyy/MM/dd}" -f $day.UtcDateTime)
        $null = New-Item -ItemType Directory -Force $dir
        $path = Join-Path $dir ("111122223333_CloudTrail_us-east-1_{0:yyyyMMddTHHmm}Z_{1:x8}.json.gz" -f $day.UtcDateTime, $file)
        $fs = [System.IO.File]::Create($path)
        $gz = [System.IO.Compression.GZipStream]::new($fs, [System.IO.Compression.CompressionLevel]::Fastest)
        $w = [System.IO.StreamWriter]::new($gz, [System.Text.UTF8Encoding]::new($false), 1MB)
        $w.Write('{"Records":[')
        for ($i = 0; $i -lt $RecordsPerFile; $i++) {
            if ($i -gt 0) { $w.Write(',') }
            $t = if ($rng.NextDouble() -lt $AttackShare) { $templates.Attack[$rng.Next($templates.Attack.Count)] } else { $templates.Benign[$rng.Next($templates.Benign.Count)] }
            $s = $t.Replace('@ID@', [guid]::NewGuid().ToString()).Replace('@TIME@', $day.AddMilliseconds($i * 60).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ'))
            $w.Write($s)
            $written += $s.Length + 1
            $n++
        }
        $w.Write(']}')
        $w.Dispose(); $gz.Dispose(); $fs.Dispose()
        $file++
    }
    Set-Content $marker "$n records, $written bytes of JSON"
}

function Measure-Child([string] $Script) {
    # Runs a script in a fresh pwsh and returns what it prints as JSON (timing and peak memory are taken inside).
    $out = & $PwshExe @PwshArgs -NoProfile -NonInteractive -Command $Script
    if ($LASTEXITCODE -ne 0) { throw "Benchmark child failed: $out" }
    ($out | Select-Object -Last 1) | ConvertFrom-Json
}

function Measure-Module([string] $Folder) {
    Measure-Child @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
`$null = Get-CloudIdDetectionRule
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$events = 0; `$findings = 0
Get-CloudIdEvent -Path '$Folder' -Recurse | ForEach-Object -Begin { } -Process { `$events++; `$_ } | Invoke-CloudIdDetection | ForEach-Object { `$findings++ }
`$sw.Stop()
[pscustomobject]@{ Seconds = `$sw.Elapsed.TotalSeconds; Events = `$events; Findings = `$findings; PeakMB = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
}

function Measure-ModuleFast([string] $Folder) {
    Measure-Child @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
`$null = Get-CloudIdDetectionRule
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$findings = (Get-CloudIdEvent -Path '$Folder' -Recurse | Invoke-CloudIdDetection | Measure-Object).Count
`$sw.Stop()
[pscustomobject]@{ Seconds = `$sw.Elapsed.TotalSeconds; Findings = `$findings; PeakMB = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
}

function Measure-Command2([scriptblock] $Block) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block; $sw.Elapsed.TotalSeconds }

New-DataSet $SizeMB $DataPath
$small = "$DataPath-quarter"
New-DataSet ([int]($SizeMB / 4)) $small
$files = Get-ChildItem $DataPath -Recurse -Filter '*.json.gz'
$info = Get-Content (Get-ChildItem $DataPath -Filter '.complete-*' -Force | Select-Object -First 1).FullName
$records = [long]($info -split ' ')[0]
$jsonBytes = [long](($info -split ', ')[1] -split ' ')[0]
$gzBytes = ($files | Measure-Object Length -Sum).Sum
$jsonMB = $jsonBytes / 1MB
Write-Information ("Data set: {0:N0} records, {1:N0} MB of JSON in {2} .json.gz files ({3:N0} MB compressed); {4} cores" -f $records, $jsonMB, $files.Count, ($gzBytes / 1MB), [Environment]::ProcessorCount) -InformationAction Continue

$list = Join-Path ([IO.Path]::GetTempPath()) "cloudid-bench-files.txt"
$files.FullName | Set-Content $list
$gzipSeconds = Measure-Command2 { bash -c "xargs -a '$list' gzip -dc > /dev/null" }
$jqSeconds = if (Get-Command jq -ErrorAction SilentlyContinue) {
    $filter = Join-Path ([IO.Path]::GetTempPath()) 'cloudid-bench.jq'
    Set-Content $filter '.Records[] | select(.eventName == "AttachRolePolicy")'
    Measure-Command2 { bash -c "xargs -a '$list' gzip -dc | jq -c -f '$filter' > /dev/null" }
} else { $null }

$module = Measure-ModuleFast $DataPath
$moduleSmall = Measure-ModuleFast $small

$naiveFiles = $files | Select-Object -First ([Math]::Max(1, [int]($files.Count * $NaiveFraction)))
$naiveList = Join-Path ([IO.Path]::GetTempPath()) "cloudid-bench-naive.txt"
$naiveFiles.FullName | Set-Content $naiveList
$naive = Measure-Child @"
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$n = 0
foreach (`$f in Get-Content '$naiveList') {
    `$reader = [IO.StreamReader]::new([IO.Compression.GZipStream]::new([IO.File]::OpenRead(`$f), [IO.Compression.CompressionMode]::Decompress))
    `$text = `$reader.ReadToEnd(); `$reader.Dispose()
    `$n += @((`$text | ConvertFrom-Json).Records | Where-Object eventName -eq 'AttachRolePolicy').Count
}
`$sw.Stop()
[pscustomobject]@{ Seconds = `$sw.Elapsed.TotalSeconds; Matches = `$n; PeakMB = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
$naiveRecords = $naiveFiles.Count * $RecordsPerFile
$naiveRate = $naiveRecords / $naive.Seconds

$rows = @(
    [pscustomobject]@{ Run = 'Get-CloudIdEvent | Invoke-CloudIdDetection (built-in pack)'; Seconds = $module.Seconds; 'Events/s' = $records / $module.Seconds; 'MB/s (JSON)' = $jsonMB / $module.Seconds; 'Peak MB' = $module.PeakMB; Notes = "$($module.Findings) findings" }
    [pscustomobject]@{ Run = 'gzip -dc (decompression limit, 1 core)'; Seconds = $gzipSeconds; 'Events/s' = $records / $gzipSeconds; 'MB/s (JSON)' = $jsonMB / $gzipSeconds; 'Peak MB' = $null; Notes = '' }
    if ($jqSeconds) { [pscustomobject]@{ Run = 'gzip -dc | jq select(eventName)'; Seconds = $jqSeconds; 'Events/s' = $records / $jqSeconds; 'MB/s (JSON)' = $jsonMB / $jqSeconds; 'Peak MB' = $null; Notes = '' } }
    [pscustomobject]@{ Run = "naive Get-Content | ConvertFrom-Json | Where-Object ($($naiveFiles.Count) files)"; Seconds = $naive.Seconds; 'Events/s' = $naiveRate; 'MB/s (JSON)' = $naiveRate * ($jsonMB / $records); 'Peak MB' = $naive.PeakMB; Notes = "extrapolated full run: $([int]($records / $naiveRate)) s" }
    [pscustomobject]@{ Run = 'module pipeline on a quarter of the data'; Seconds = $moduleSmall.Seconds; 'Events/s' = ($records / 4) / $moduleSmall.Seconds; 'MB/s (JSON)' = ($jsonMB / 4) / $moduleSmall.Seconds; 'Peak MB' = $moduleSmall.PeakMB; Notes = 'peak memory should match the full run' }
)
$rows | Format-Table -AutoSize @{ n = 'Run'; e = { $_.Run } }, @{ n = 'Seconds'; e = { '{0:N1}' -f $_.Seconds } }, @{ n = 'Events/s'; e = { '{0:N0}' -f $_.'Events/s' } }, @{ n = 'MB/s (JSON)'; e = { '{0:N1}' -f $_.'MB/s (JSON)' } }, @{ n = 'Peak MB'; e = { if ($_.'Peak MB') { '{0:N0}' -f $_.'Peak MB' } } }, Notes | Out-String -Width 250
$ratio = ($jsonMB / $module.Seconds) / ($jsonMB / $gzipSeconds)
"Module throughput is {0:P0} of gzip -dc's (aim: at least 50% per core; the module uses up to {1} cores)." -f $ratio, [Math]::Min(4, [Environment]::ProcessorCount)
