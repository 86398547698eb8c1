<#
.SYNOPSIS
    Detection throughput: events/s for 20, 200 and all rules, through Invoke-CloudIdDetection and through the engine.
.DESCRIPTION
    Builds a CloudTrail event stream from real record shapes in ../shared/corpus/cloudtrail (Stratus Red Team,
    AWS docs and Elastic samples), varying eventName, eventTime and the principal. Rule sets:
      20 / 200  the SigmaHQ CloudTrail rules and the built-in pack, topped up with generated CloudTrail rules
                shaped like SigmaHQ's (eventSource + eventName equality and a filter; one in ten targets an API
                present in the stream; one in ten has only a 'contains' test, so it cannot be indexed);
      all       every loaded SigmaHQ cloud rule plus the built-in pack.
    Events are read once into memory first, so only detection is timed. The engine run calls
    DetectionEngine.EvaluateAll directly (no PowerShell pipeline); the cmdlet run pipes the same events
    through Invoke-CloudIdDetection.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/detection.ps1 -Events 50000
#>
[CmdletBinding()]
param(
    [int] $Events = 50000,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/CloudIdentity/CloudIdentity.psd1'),
    [string] $SharedRoot = (Join-Path $PSScriptRoot '../../shared')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force

$corpus = Join-Path $SharedRoot 'corpus'
if (-not (Test-Path $corpus)) { throw "The corpus is not at '$corpus'; the benchmark needs its CloudTrail and Sigma folders." }
$work = Join-Path ([System.IO.Path]::GetTempPath()) "cloudid-bench-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    # 1. Record shapes from the corpus, then a varied stream.
    $shapeFiles = @(Get-ChildItem (Join-Path $corpus 'cloudtrail/stratus-red-team'), (Join-Path $corpus 'cloudtrail/awsdocs'), (Join-Path $corpus 'cloudtrail/elastic') -File |
        Where-Object Name -NotLike '*digest*')
    $templates = @(Get-CloudIdEvent -LiteralPath $shapeFiles.FullName -WarningAction SilentlyContinue -ErrorAction SilentlyContinue |
        ForEach-Object { $_.Raw.ToJson() } | Sort-Object -Unique)
    $names = @('ConsoleLogin', 'AssumeRole', 'GetCallerIdentity', 'ListBuckets', 'GetObject', 'PutObject', 'DescribeInstances', 'RunInstances',
        'CreateAccessKey', 'AttachUserPolicy', 'AttachRolePolicy', 'PutUserPolicy', 'UpdateLoginProfile', 'ChangePassword', 'StopLogging',
        'DeleteTrail', 'GetSecretValue', 'ListUsers', 'ListRoles', 'CreateUser', 'DeleteBucket', 'PutBucketPolicy', 'Decrypt',
        'GetParameter', 'CreateLoginProfile', 'UpdateAssumeRolePolicy', 'ModifyInstanceAttribute', 'GetPasswordData', 'LeaveOrganization',
        'PutEventSelectors', 'DeleteFlowLogs', 'CreateSnapshot', 'ModifySnapshotAttribute', 'GetFederationToken', 'ListAccessKeys')
    $start = [datetime]::new(2024, 5, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $records = [System.Collections.Generic.List[object]]::new($Events)
    $parsed = $templates | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable }
    for ($i = 0; $i -lt $Events; $i++) {
        $r = $parsed[$i % $parsed.Count].Clone()
        $r.eventName = $names[($i * 7) % $names.Count]
        $r.eventTime = $start.AddSeconds($i).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $r.eventID = [guid]::new($i, 0, 0, [byte[]]::new(8)).ToString()
        $ui = if ($r.userIdentity -is [hashtable]) { $r.userIdentity.Clone() } else { @{ type = 'IAMUser' } }
        $ui.arn = "arn:aws:iam::111111111111:user/bench-$($i % 50)"
        $r.userIdentity = $ui
        if ($i % 13 -eq 0) { $r.errorCode = 'AccessDenied' } else { $r.Remove('errorCode') }
        $records.Add($r)
    }
    $streamFile = Join-Path $work 'stream.json'
    @{ Records = $records } | ConvertTo-Json -Depth 20 -Compress | Set-Content -Path $streamFile
    $stream = @(Get-CloudIdEvent -LiteralPath $streamFile)
    Write-Information ("Stream: {0:N0} CloudTrail events from {1} corpus record shapes, {2} distinct eventNames" -f $stream.Count, $templates.Count, $names.Count) -InformationAction Continue

    # 2. Rule sets.
    $sigma = @(Get-CloudIdDetectionRule -Path (Join-Path $corpus 'sigma') -WarningAction SilentlyContinue)
    $builtIn = @(Get-CloudIdDetectionRule)
    $gen = Join-Path $work 'generated'
    $null = New-Item -ItemType Directory -Path $gen
    $services = 'iam', 'ec2', 's3', 'sts', 'kms', 'secretsmanager', 'cloudtrail', 'ssm', 'organizations', 'lambda'
    for ($i = 0; $i -lt 300; $i++) {
        $svc = $services[$i % $services.Count]
        $detection = if ($i % 10 -eq 9) {
            "  sel:`n    requestParameters|contains: 'bench-marker-$i'`n  condition: sel"
        } else {
            # Like real rules, each targets its own APIs; one in ten also targets an API that occurs in the stream.
            $apis = if ($i % 10 -eq 0) { "['Bench$i', '$($names[$i % $names.Count])']" } else { "['Bench$i', 'BenchOther$i']" }
            "  sel:`n    eventSource: $svc.amazonaws.com`n    eventName: $apis`n  filter:`n    userAgent|contains: 'bench-agent-$i'`n  condition: sel and not filter"
        }
        Set-Content (Join-Path $gen "gen_$i.yml") "title: generated $i`nid: $([guid]::new($i, 1, 1, [byte[]]::new(8)))`nlogsource: {product: aws, service: cloudtrail}`ndetection:`n$detection`nlevel: low"
    }
    $generated = @(Get-CloudIdDetectionRule -Path $gen)
    $cloudTrail = @($sigma | Where-Object { "$($_.LogSource)" -eq 'aws/cloudtrail' }) + @($builtIn)
    $pool = $cloudTrail + $generated
    $sets = [ordered]@{
        '20 rules'                                          = @($pool | Select-Object -First 20)
        '200 rules'                                         = @($pool | Select-Object -First 200)
        "all: $($sigma.Count) SigmaHQ + $($builtIn.Count) built-in" = @($sigma + $builtIn)
    }

    # 3. Runs.
    $engineType = $builtIn[0].GetType().Assembly.GetType('CloudIdentity.Engine.Detection.DetectionEngine')
    $eventArray = [Array]::CreateInstance($stream[0].GetType(), $stream.Count)
    for ($i = 0; $i -lt $stream.Count; $i++) { $eventArray[$i] = $stream[$i] }
    $results = foreach ($name in $sets.Keys) {
        $rules = $sets[$name]
        $ruleArray = [Array]::CreateInstance($builtIn[0].GetType(), $rules.Count)
        for ($i = 0; $i -lt $rules.Count; $i++) { $ruleArray[$i] = $rules[$i] }
        # Engine: best of 3 after a warm-up.
        $null = $engineType.GetConstructors()[0].Invoke(@($ruleArray, $null)).EvaluateAll($eventArray)
        $best = [double]::MaxValue
        $engineFindings = 0
        foreach ($run in 1..3) {
            $engine = $engineType.GetConstructors()[0].Invoke(@($ruleArray, $null))
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $engineFindings = $engine.EvaluateAll($eventArray).Count
            $best = [math]::Min($best, $sw.Elapsed.TotalSeconds)
        }
        $null = $stream | Select-Object -First 2000 | Invoke-CloudIdDetection -Rule $rules # warm-up
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $cmdletFindings = @($stream | Invoke-CloudIdDetection -Rule $rules).Count
        $cmdletSeconds = $sw.Elapsed.TotalSeconds
        [pscustomobject]@{
            Rules            = $name
            Count            = $rules.Count
            EngineEventsPerS = [math]::Round($stream.Count / $best)
            EngineMs         = [math]::Round($best * 1000, 1)
            CmdletEventsPerS = [math]::Round($stream.Count / $cmdletSeconds)
            Findings         = $engineFindings
            CmdletFindings   = $cmdletFindings
        }
    }
    $load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }
    Write-Information ("{0} logical CPUs, load average {1} (figures are noisy on a shared machine)" -f [Environment]::ProcessorCount, $load) -InformationAction Continue
    $results | Format-Table -AutoSize | Out-String -Width 200 | Write-Information -InformationAction Continue
    $r20 = $results[0]; $r200 = $results[1]
    Write-Information ("Scaling, engine: 200 rules cost {0:N2}x what 20 rules cost (10x rules)." -f ($r200.EngineMs / $r20.EngineMs)) -InformationAction Continue
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
