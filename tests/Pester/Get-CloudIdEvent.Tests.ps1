BeforeDiscovery {
    # -Skip is decided at discovery time, before BeforeAll runs.
    $HasShared = Test-Path (Join-Path $PSScriptRoot '../../../shared/corpus')
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Story = Join-Path $Root 'samples/attack-story'
    $script:Shared = Join-Path $Root '../shared/corpus'

    function New-TestFile([string] $Name, [string] $Content, [switch] $Gzip) {
        $path = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $path)
        if ($Gzip) {
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($Content)
            $fs = [System.IO.File]::Create($path)
            $gz = [System.IO.Compression.GZipStream]::new($fs, [System.IO.Compression.CompressionLevel]::Fastest)
            $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose(); $fs.Dispose()
        }
        else { [System.IO.File]::WriteAllText($path, $Content) }
        $path
    }

    function New-Record([string] $Id, [string] $Name = 'CreateUser') {
        '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/alice","accountId":"111111111111","userName":"alice"},"eventTime":"2024-05-01T10:00:05Z","eventSource":"iam.amazonaws.com","eventName":"' + $Name + '","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","requestParameters":{"userName":"bob"},"eventID":"' + $Id + '","recipientAccountId":"111111111111"}'
    }
}

Describe 'Get-CloudIdEvent' {
    Context 'Reading the bundled sample' {
        It 'reads every record of a folder with -Recurse, gzip and plain, and skips the digest file' {
            $events = Get-CloudIdEvent -Path $Story -Recurse -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $events.Count | Should -Be 39
            ($events | Select-Object -ExpandProperty EventId -Unique).Count | Should -Be 39
            $events[0].GetType().FullName | Should -Be 'CloudIdentity.Engine.Events.CloudIdEvent'
        }

        It 'normalizes fields and keeps the raw record navigable' {
            $e = Get-CloudIdEvent -Path $Story -Recurse | Where-Object Operation -eq 'AttachUserPolicy'
            $e.Time | Should -Be ([DateTimeOffset]'2026-11-20T09:05:12Z')
            $e.Time.Offset | Should -Be ([TimeSpan]::Zero)
            $e.Cloud | Should -Be 'AWS'
            $e.AccountId | Should -Be '111122223333'
            $e.ActorType | Should -Be 'IAMUser'
            $e.ActorUserName | Should -Be 'backup-admin'
            $e.AccessKeyId | Should -Be 'AKIAQ3EXAMPLEBKADM2'
            $e.SourceIp | Should -Be '203.0.113.45'
            $e.Service | Should -Be 'iam.amazonaws.com'
            $e.Outcome | Should -Be 'Success'
            $e.ClassUid | Should -Be 6003
            $e.Raw.requestParameters.policyArn | Should -Be 'arn:aws:iam::aws:policy/AdministratorAccess'
            $e.Raw.userIdentity.userName | Should -Be 'backup-admin'
            ($e.Raw | ConvertTo-Json -Compress -Depth 5) | Should -Match '"eventName":"AttachUserPolicy"'
        }

        It 'marks denied calls as failures with their error code' {
            $denied = Get-CloudIdEvent -Path $Story -Recurse | Where-Object Outcome -eq 'Failure'
            $denied.Count | Should -Be 11
            $denied.ErrorCode | Sort-Object -Unique | Should -Be 'AccessDenied'
        }

        It 'takes files from Get-ChildItem through the pipeline' {
            $files = Get-ChildItem $Story -Recurse -File -Filter '*CloudTrail_*'
            (Get-ChildItem $Story -Recurse -File | Get-CloudIdEvent).Count | Should -Be 39
            ($files | Get-CloudIdEvent).Count | Should -Be 39
        }

        It 'filters by -StartTime and -EndTime' {
            $events = Get-CloudIdEvent -Path $Story -Recurse -StartTime ([DateTimeOffset]'2026-11-20T09:04:00Z').UtcDateTime -EndTime ([DateTimeOffset]'2026-11-20T09:05:00Z').UtcDateTime
            $events.Operation | Should -Be @('CreateAccessKey', 'CreateLoginProfile')
        }

        It 'resolves wildcards in -Path and reads -LiteralPath as given' {
            $dir = Join-Path $Story 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20'
            (Get-CloudIdEvent -Path (Join-Path $dir '*.json')).Count | Should -Be 24
            $odd = New-TestFile 'odd[1].json' ('{"Records":[' + (New-Record 'lit-1') + ']}')
            (Get-CloudIdEvent -LiteralPath $odd).EventId | Should -Be 'lit-1'
        }
    }

    Context 'Pipeline input' {
        It 'reads objects shaped like AWS Tools Find-CTEvent output (BR-02)' {
            $inner = New-Record 'ev-0001' 'ConsoleLogin'
            $ct = [pscustomobject]@{ EventId = 'ev-0001'; EventName = ''; EventSource = 'signin.amazonaws.com'; Username = $null; EventTime = [datetime]'2024-05-01T10:00:05'; CloudTrailEvent = $inner }
            $e = $ct | Get-CloudIdEvent
            $e.EventId | Should -Be 'ev-0001'
            $e.Operation | Should -Be 'ConsoleLogin'
            $e.ActorUserName | Should -Be 'alice'
            $e.Time | Should -Be ([DateTimeOffset]'2024-05-01T10:00:05Z')
        }

        It 'reads raw JSON strings, one record each' {
            $events = (New-Record 's1'), (New-Record 's2') | Get-CloudIdEvent
            $events.EventId | Should -Be @('s1', 's2')
        }

        It 'reads JSON Lines from Get-Content once per line, not the whole file per line' {
            $file = New-TestFile 'lines.jsonl' ((New-Record 'j1'), (New-Record 'j2'), (New-Record 'j3') -join "`n")
            $events = Get-Content $file | Get-CloudIdEvent
            $events.EventId | Should -Be @('j1', 'j2', 'j3')
        }

        It 'reads folders piped from Get-Item, with -Recurse' {
            (Get-Item $Story | Get-CloudIdEvent -Recurse).Count | Should -Be 39
        }

        It 'gives a non-terminating error for input it cannot read' {
            $events = 42, (New-Record 'after') | Get-CloudIdEvent -ErrorVariable errs -ErrorAction SilentlyContinue
            $events.EventId | Should -Be 'after'
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectNotRecognized,*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidType'
            $errs[0].TargetObject | Should -Be 42
        }
    }

    Context 'Bad input is reported per file and reading goes on' {
        BeforeAll {
            $script:Good = New-TestFile 'bad/a-good.json' ('{"Records":[' + (New-Record 'g1') + ',' + (New-Record 'g2') + ']}')
            $script:Malformed = New-TestFile 'bad/b-malformed.json' ('{"Records":[' + (New-Record 'm1') + ',{"eventVersion": oops}]}')
            $records = (1..3000 | ForEach-Object { New-Record "t$_" }) -join ','
            $full = Join-Path $TestDrive 'full.json.gz'
            $gzPath = New-TestFile 'bad/c-truncated.json.gz' ('{"Records":[' + $records + ']}') -Gzip
            $bytes = [System.IO.File]::ReadAllBytes($gzPath)
            [System.IO.File]::WriteAllBytes($gzPath, $bytes[0..([int]($bytes.Length / 2))])
            $script:Truncated = $gzPath
            $script:Empty = New-TestFile 'bad/d-empty.json' ''
            $script:NotCloudTrail = New-TestFile 'bad/e-other.json' '{"kind":"inventory","items":[{"sku":1}]}'
            $script:Digest = New-TestFile 'bad/AWSLogs/1/CloudTrail-Digest/us-east-1/f-digest.json.gz' '{"awsAccountId":"1","digestStartTime":"2024-05-01T10:00:00Z","logFiles":[]}' -Gzip
            $script:Last = New-TestFile 'bad/g-last.json' (New-Record 'last')
        }

        It 'reads every good record and gives one error per bad file, naming it' {
            $events = Get-CloudIdEvent -Path (Join-Path $TestDrive 'bad') -Recurse -ErrorVariable errs -ErrorAction SilentlyContinue
            $ids = $events.EventId
            $ids | Should -Contain 'g1'
            $ids | Should -Contain 'g2'
            $ids | Should -Contain 'm1'
            $ids | Should -Contain 'last'
            $ids | Should -Contain 't1'
            $errs.Count | Should -Be 4
            $byFile = $errs | Group-Object { $_.TargetObject } -AsHashTable -AsString
            $byFile[$Malformed].FullyQualifiedErrorId | Should -BeLike 'LogRecordMalformed,*'
            $byFile[$Malformed].Exception.Message | Should -Match 'record 1'
            $byFile[$Truncated].FullyQualifiedErrorId | Should -Match '^LogFile(Truncated|Corrupt),'
            $byFile[$Empty].FullyQualifiedErrorId | Should -BeLike 'LogFileEmpty,*'
            $byFile[$NotCloudTrail].FullyQualifiedErrorId | Should -BeLike 'LogRecordUnrecognized,*'
            $byFile[$Digest] | Should -BeNullOrEmpty
            $errs | ForEach-Object { $_.CategoryInfo.Category | Should -BeIn @('InvalidData', 'ReadError') }
        }

        It 'warns when a wildcard path matches nothing, pointing to -LiteralPath' {
            $dir = Join-Path $TestDrive 'weird dir [1]'
            $null = New-Item -ItemType Directory -Force -Path $dir
            [IO.File]::WriteAllText((Join-Path $dir 'a.json'), (New-Record 'bracket'))
            $events = Get-CloudIdEvent -Path $dir -Recurse -WarningVariable w -WarningAction SilentlyContinue
            $events | Should -BeNullOrEmpty
            "$w" | Should -Match '-LiteralPath'
            (Get-CloudIdEvent -LiteralPath $dir -Recurse).EventId | Should -Be 'bracket'
        }

        It 'reports a missing path as PathNotFound and still reads the others' {
            $events = Get-CloudIdEvent -Path (Join-Path $TestDrive 'nope.json'), $Good -ErrorVariable errs -ErrorAction SilentlyContinue
            $events.EventId | Should -Be @('g1', 'g2')
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'rejects an unknown -Source as a terminating parameter error' {
            { Get-CloudIdEvent -Path $Good -Source NoSuchSource -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownLogSource,*'
        }

        It 'says what it does with -Verbose' {
            $verbose = Get-CloudIdEvent -Path $Story -Recurse -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'digest file holds no events'
            ($verbose.Message -join "`n") | Should -Match '24 record\(s\), 24 event\(s\)'
        }
    }

    Context 'Real corpus' {
        BeforeAll { if (-not (Test-Path $Shared)) { Write-Warning "../shared/corpus is not present: the real-corpus tests are skipped." } }

        It 'reads the Stratus Red Team detonation logs' -Skip:(-not $HasShared) {
            $events = Get-CloudIdEvent -Path (Join-Path $Shared 'cloudtrail/stratus-red-team') -Recurse -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $events.Count | Should -Be 202
            ($events | Where-Object { -not $_.Time }).Count | Should -Be 0
        }

        It 'reads the CloudWatch envelope, the loki gzip file, digests and LookupEvents examples' -Skip:(-not $HasShared) {
            (Get-CloudIdEvent -Path (Join-Path $Shared 'cloudtrail/otel/cloudtrail_log_cw.json')).Count | Should -BeGreaterThan 0
            (Get-CloudIdEvent -Path (Join-Path $Shared 'cloudtrail/loki/cloudtrail-log-file.json.gz')).Count | Should -Be 2
            Get-CloudIdEvent -Path (Join-Path $Shared 'cloudtrail/otel/cloudtrail_digest.json'), (Join-Path $Shared 'cloudtrail/otel/cloudtrail_digest_empty.json'), (Join-Path $Shared 'cloudtrail/elastic/test-cloudtrail-digest-json.log') -ErrorVariable errs | Should -BeNullOrEmpty
            $errs | Should -BeNullOrEmpty
            $lookup = Get-CloudIdEvent -Path (Join-Path $Shared 'cloudtrail/lookup-and-lake/lookup_events_awscli_example.json')
            $lookup.Count | Should -BeGreaterThan 0
            $lookup | ForEach-Object { $_.Raw.eventName | Should -Not -BeNullOrEmpty }
        }
    }
}
