# Pins which built-in Entra ID and Azure rules fire on the shared real-world corpus, file by file.
# Every file Get-CloudIdEvent reads under corpus/entra and corpus/azure-activity is listed; files where nothing may
# fire are pinned as empty. The Panther test-event files wrap each record ({rule_file, test_name, log}), so their
# records are also unwrapped and pinned one by one.

BeforeDiscovery {
    $CorpusRoot = Join-Path $PSScriptRoot '../../../shared/corpus'
    $HasShared = Test-Path $CorpusRoot

    $Credentials = 'Credentials Added to an Entra ID Application or Service Principal'
    $Consent = 'Consent Granted to an Entra ID Application for High-Privilege Permissions'
    $DeviceCode = 'Entra ID Sign-In Through the Device Code Flow'
    $HighRisk = 'High-Risk Entra ID Sign-In That Succeeded'
    $Legacy = 'Successful Entra ID Sign-In With Legacy Authentication'
    $ConditionalAccess = 'Entra ID Conditional Access Policy Deleted or Disabled'

    # File (relative to the corpus) -> rule title -> number of findings. Empty map: nothing may fire.
    $Pins = [ordered]@{
        'entra/elastic/test-activitylogs-identity.log'             = @{}
        'entra/elastic/test-auditlogs-raw.log'                     = @{}
        'entra/elastic/test-signinlogs-raw.log'                    = @{}
        'entra/elastic/test-userriskevents-raw.log'                = @{}
        'entra/graph/beta_signIns_list_example1.json'              = @{}
        'entra/graph/v1.0_directoryAudits_list_example1.json'      = @{}
        'entra/graph/v1.0_directoryAudits_list_example2.json'      = @{}
        'entra/graph/v1.0_signIns_list_example1_TRAILING_COMMA.json' = @{}
        # SimuLand Golden SAML lab: a secret added to SimuLandApp (logged twice) and Mail.ReadWrite granted to all users.
        'entra/otrf/AADAuditEvents.json'                           = @{ $Credentials = 2; $Consent = 1 }
        'entra/panther/panther_entra_test_events.jsonl'            = @{}
        'azure-activity/elastic/test-activitylogs-edgecases.log'   = @{}
        'azure-activity/elastic/test-activitylogs-raw.log'         = @{}
        'azure-activity/elastic/test-time-formats-corner-cases.log' = @{}
        'azure-activity/msdocs/administrative_rest_api_sample.json' = @{}
        'azure-activity/msdocs/storage_account_records_sample.json' = @{}
        'azure-activity/panther/panther_azure_activity_test_events.jsonl' = @{}
    }
    $FileCases = foreach ($file in $Pins.Keys) { @{ File = $file; Expected = $Pins[$file] } }

    # Panther test events (rule_file|test_name) that fire built-in rules; every other record must fire nothing.
    $PantherPins = @{
        'azure_device_code_broker_client.yml|Device Code Auth with Broker Client'              = @($DeviceCode)
        'azure_high_risk_signin.yml|High Risk During Sign-In'                                  = @($HighRisk)
        'azure_legacyauth.yml|Sign-In with legacy auth'                                         = @($Legacy)
        # Panther allow-lists this user; for a built-in rule it is a legacy sign-in like any other.
        'azure_legacyauth.yml|Sign-In with legacy auth, KNOWN_EXCEPTION'                       = @($Legacy)
        'azure_policy_changed.yml|Policy Changed'                                               = @($ConditionalAccess)
        # ROPC reports clientAppUsed "Other clients", a legacy-authentication client.
        'azure_ropc_login_no_mfa.yml|ROPC Login Without MFA'                                    = @($Legacy)
        'azure_service_principal_credentials_added.yml|Add Service Principal Credentials'      = @($Credentials)
    }
    $PantherFiles = @(
        @{ File = 'entra/panther/panther_entra_test_events.jsonl'; Records = 32; Pins = $PantherPins }
        @{ File = 'azure-activity/panther/panther_azure_activity_test_events.jsonl'; Records = 148; Pins = @{} }
    )
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:CorpusRoot = Join-Path $PSScriptRoot '../../../shared/corpus'

    function Get-TitleCount([object[]] $Findings) {
        $counts = @{}
        foreach ($f in $Findings) { $counts[$f.RuleTitle] = 1 + [int]$counts[$f.RuleTitle] }
        $counts
    }
}

Describe 'Built-in Entra ID and Azure rules on the shared corpus' {
    # Only present when the corpus is missing, so the run says why the pins below were skipped.
    It 'corpus pins are skipped: ../shared/corpus is absent' -ForEach @(if (-not $HasShared) { @{} }) -AllowNullOrEmptyForEach {
        Set-ItResult -Skipped -Because 'the shared corpus folder ../shared/corpus (next to the repository) is absent'
    }

    It 'pins every file Get-CloudIdEvent reads under corpus/entra and corpus/azure-activity' -ForEach @{ Pinned = @($FileCases.File) } -Skip:(-not $HasShared) {
        $include = '*.json', '*.gz', '*.jsonl', '*.ndjson', '*.log'
        $found = Get-ChildItem (Join-Path $CorpusRoot 'entra'), (Join-Path $CorpusRoot 'azure-activity') -Recurse -File -Include $include |
            ForEach-Object { [IO.Path]::GetRelativePath($CorpusRoot, $_.FullName).Replace('\', '/') } | Sort-Object
        $found | Should -Be ($Pinned | Sort-Object)
    }

    It '<File> gives exactly its pinned findings' -ForEach $FileCases -Skip:(-not $HasShared) {
        $events = @(Get-CloudIdEvent -LiteralPath (Join-Path $CorpusRoot $File) -ErrorAction SilentlyContinue)
        $findings = @($events | Invoke-CloudIdDetection)
        $actual = Get-TitleCount $findings
        ($actual.Keys | Sort-Object) | Should -Be ($Expected.Keys | Sort-Object)
        foreach ($title in $Expected.Keys) { $actual[$title] | Should -Be $Expected[$title] -Because $title }
        if ($Expected.Count -eq 0) { $findings | Should -BeNullOrEmpty }
    }

    It '<File>: each unwrapped test record fires only its pinned rules' -ForEach $PantherFiles -Skip:(-not $HasShared) {
        $lines = @(Get-Content -LiteralPath (Join-Path $CorpusRoot $File) | Where-Object { $_.Trim() })
        $lines.Count | Should -Be $Records
        $seen = @{}
        foreach ($line in $lines) {
            $doc = [System.Text.Json.JsonDocument]::Parse($line)
            try {
                $root = $doc.RootElement
                $key = '{0}|{1}' -f $root.GetProperty('rule_file').GetString(), $root.GetProperty('test_name').GetString()
                $findings = @($root.GetProperty('log').GetRawText() | Get-CloudIdEvent -ErrorAction SilentlyContinue | Invoke-CloudIdDetection)
            }
            finally { $doc.Dispose() }
            $expected = if ($Pins.ContainsKey($key)) { $Pins[$key] } else { @() }
            @($findings.RuleTitle | Sort-Object) | Should -Be @($expected | Sort-Object) -Because $key
            if ($findings.Count) { $seen[$key] = $true }
        }
        # Every pin was met by a record of this file.
        @($seen.Keys | Sort-Object) | Should -Be @($Pins.Keys | Sort-Object)
    }

    It 'every finding on the Golden SAML lab export names the actor and the operation' -ForEach @{ Consent = $Consent; Credentials = $Credentials } -Skip:(-not $HasShared) {
        $findings = @(Get-CloudIdEvent -LiteralPath (Join-Path $CorpusRoot 'entra/otrf/AADAuditEvents.json') | Invoke-CloudIdDetection)
        $findings.Count | Should -Be 3
        $findings.LogSource | Sort-Object -Unique | Should -Be 'azure/auditlogs'
        $findings.ActorUserName | Sort-Object -Unique | Should -Be 'pgustavo@example.com'
        ($findings | Where-Object RuleTitle -eq $Consent).Operation | Should -Be 'Add delegated permission grant'
        ($findings | Where-Object RuleTitle -eq $Credentials).Operation | Sort-Object -Unique | Should -Be 'Update application – Certificates and secrets management '
    }
}

Describe 'Session correlation rule' {
    It 'ships in the built-in pack as a value_count correlation over its three base rules, which report nothing alone' {
        $rules = @(Get-CloudIdDetectionRule)
        $correlation = $rules | Where-Object Title -eq 'One Entra ID Sign-In Session Used From Several IP Addresses Within an Hour'
        $correlation | Should -Not -BeNullOrEmpty
        $correlation.Correlation.Type | Should -Be 'ValueCount'
        @($correlation.Correlation.Referenced).Count | Should -Be 3
    }

    It 'fires once when one session id is replayed from a second address, and not for one address' {
        $session = '0f1e2d3c-e510-523f-1c0e-346163d4a768'
        $records = @(
            @{ id = 's1'; createdDateTime = '2025-01-15T09:30:00Z'; userPrincipalName = 'alex@contoso.example'; ipAddress = '198.51.100.10'; sessionId = $session; status = @{ errorCode = 0 } }
            @{ id = 's2'; createdDateTime = '2025-01-15T09:35:00Z'; userPrincipalName = 'alex@contoso.example'; ipAddress = '198.51.100.10'; sessionId = $session; status = @{ errorCode = 0 } }
            @{ id = 's3'; createdDateTime = '2025-01-15T09:41:00Z'; userPrincipalName = 'alex@contoso.example'; ipAddress = '203.0.113.200'; sessionId = $session; status = @{ errorCode = 0 } }
        ) | ForEach-Object { $_ | ConvertTo-Json -Compress }
        $findings = @($records | Get-CloudIdEvent | Invoke-CloudIdDetection)
        $findings.RuleTitle | Should -Be 'One Entra ID Sign-In Session Used From Several IP Addresses Within an Hour'
        $first = @($records[0..1] | Get-CloudIdEvent | Invoke-CloudIdDetection)
        $first | Should -BeNullOrEmpty
    }
}
