BeforeDiscovery {
    $script:HaveCorpus = Test-Path ([System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/sigma')))
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:SigmaRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/sigma'))
    $script:HaveCorpus = Test-Path $script:SigmaRoot
}

Describe 'Get-CloudIdDetectionRule' {
    Context 'Built-in pack' {
        It 'lists the built-in rules, correlations included' {
            $rules = Get-CloudIdDetectionRule
            $rules.Count | Should -BeGreaterOrEqual 13
            ($rules | Where-Object Kind -EQ 'Correlation').Count | Should -Be 6
            $rules | ForEach-Object { $_.IsBuiltIn | Should -BeTrue }
        }

        It 'filters by -Id with wildcards' {
            $r = Get-CloudIdDetectionRule -Id '66fa8bee-*'
            $r.Title | Should -Be 'Burst of Access Denied Errors Across Many AWS APIs From One Principal'
        }

        It 'filters by -Tag' {
            $r = Get-CloudIdDetectionRule -Tag 'attack.discovery'
            $r.Id | Should -Contain '66fa8bee-a403-48a8-b96f-6367739af388'
            $r.Id | Should -Not -Contain '7f3c6a0e-2d41-4b8e-9a5c-1e0b6f4d2a11'
        }

        It 'filters by -Technique, a technique selecting its sub-techniques' {
            $parent = Get-CloudIdDetectionRule -Technique T1098
            $sub = Get-CloudIdDetectionRule -Technique T1098.003
            $parent.Id | Should -Contain '7f3c6a0e-2d41-4b8e-9a5c-1e0b6f4d2a11'
            $sub.Id | Should -Contain '7c97c170-b2bf-439a-9951-d45a122d271a'
            $sub.Id | Should -Not -Contain 'beb50e1c-4767-468b-9135-a5a1677482e7'
            $parent.Count | Should -BeGreaterThan $sub.Count
        }

        It 'filters by -MinimumLevel' {
            $high = Get-CloudIdDetectionRule -MinimumLevel High
            $high | ForEach-Object { [int]$_.Level | Should -BeGreaterOrEqual 3 }
            $high.Id | Should -Contain '7f3c6a0e-2d41-4b8e-9a5c-1e0b6f4d2a11'
            $high.Id | Should -Not -Contain 'b71760e3-1856-4eeb-9984-fb8367447c7a'
        }

        It 'filters by -LogSource' {
            $aws = @(Get-CloudIdDetectionRule -LogSource 'aws/cloudtrail')
            $aws.Count | Should -BeGreaterOrEqual 20
            $aws | ForEach-Object { $_.LogSource.ToString() | Should -Be 'aws/cloudtrail' }
            $azure = @(Get-CloudIdDetectionRule -LogSource 'azure/*')
            $azure.Count | Should -BeGreaterOrEqual 13
            $azure | ForEach-Object { $_.LogSource.ToString() | Should -BeLike 'azure/*' }
            (Get-CloudIdDetectionRule -LogSource 'gcp/*') | Should -BeNullOrEmpty
        }

        It 'completes rule ids with TabExpansion2' {
            $line = 'Get-CloudIdDetectionRule -Id 66fa'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be @('66fa8bee-a403-48a8-b96f-6367739af388')
            $result.CompletionMatches[0].ToolTip | Should -Be 'Burst of Access Denied Errors Across Many AWS APIs From One Principal'
        }
    }

    Context 'SigmaHQ cloud rules' {
        It 'loads at least 98% of the SigmaHQ cloud rules, each failure warned by file' -Skip:(-not $HaveCorpus) {
            $files = Get-ChildItem $SigmaRoot -Recurse -Include *.yml, *.yaml
            $rules = Get-CloudIdDetectionRule -Path $SigmaRoot -WarningVariable warnings -WarningAction SilentlyContinue
            $notLoaded = @($warnings | Where-Object { "$_" -like 'Rule not loaded:*' })
            $rate = $rules.Count / $files.Count
            Write-Information ("SigmaHQ load rate: {0}/{1} = {2:P1}" -f $rules.Count, $files.Count, $rate) -InformationAction Continue
            $rate | Should -BeGreaterOrEqual 0.98
            # Every file gives a rule or a warning naming it: no silent skip.
            ($rules.Count + $notLoaded.Count) | Should -BeGreaterOrEqual $files.Count
            foreach ($w in $notLoaded) { "$w" | Should -Match '\.ya?ml' }
        }

        It 'maps every SigmaHQ cloud log source onto a source the module knows' -Skip:(-not $HaveCorpus) {
            $rules = Get-CloudIdDetectionRule -Path $SigmaRoot -WarningAction SilentlyContinue
            $sources = $rules | ForEach-Object { "$($_.LogSource)" } | Sort-Object -Unique
            $sources | Should -Contain 'aws/cloudtrail'
            $sources | Should -Contain 'azure/signinlogs'
            $sources | Should -Contain 'azure/pim'
            $sources | Should -Contain 'm365/threat_management'
            $known = 'aws/cloudtrail', 'azure/signinlogs', 'azure/auditlogs', 'azure/activitylogs', 'azure/riskdetection', 'azure/pim',
                'm365/audit', 'm365/exchange', 'm365/threat_management', 'm365/threat_detection'
            $sources | ForEach-Object { $_ | Should -BeIn $known }
        }

        It 'loads all of them well under a second once warm' -Skip:(-not $HaveCorpus) {
            $null = Get-CloudIdDetectionRule -Path $SigmaRoot -WarningAction SilentlyContinue
            $elapsed = Measure-Command { $null = Get-CloudIdDetectionRule -Path $SigmaRoot -WarningAction SilentlyContinue }
            Write-Information ("SigmaHQ load time (warm): {0:N0} ms" -f $elapsed.TotalMilliseconds) -InformationAction Continue
            $elapsed.TotalMilliseconds | Should -BeLessThan 1000
        }

        It 'warns about placeholders without a value and uses values given with -Placeholder' -Skip:(-not $HaveCorpus) {
            $file = Join-Path $SigmaRoot 'rules-placeholder/cloud/azure/signin_logs/azure_users_authenticating_to_other_azure_ad_tenants.yml'
            $r = Get-CloudIdDetectionRule -Path $file -WarningVariable w -WarningAction SilentlyContinue
            $r.UnresolvedPlaceholders | Should -Be @('HomeTenantID')
            "$w" | Should -BeLike "*azure_users_authenticating_to_other_azure_ad_tenants.yml*%HomeTenantID%*"
            $r2 = Get-CloudIdDetectionRule -Path $file -Placeholder @{ HomeTenantID = '00000000-0000-0000-0000-0000000000aa' } -WarningVariable w2
            $r2.UnresolvedPlaceholders | Should -BeNullOrEmpty
            $w2 | Should -BeNullOrEmpty
        }
    }

    Context 'Bad rule files' {
        BeforeAll {
            $script:Bad = Join-Path $TestDrive 'bad'
            $null = New-Item -ItemType Directory -Path $Bad
            Set-Content (Join-Path $Bad 'not_yaml.yml') "title: [unclosed"
            Set-Content (Join-Path $Bad 'bad_modifier.yml') @"
title: Unknown modifier
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName|sounds_like: ConsoleLogin}
  condition: sel
"@
            Set-Content (Join-Path $Bad 'windash_all.yml') @"
title: windash with all
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {userAgent|windash|contains|all: [' -a ', ' -b ']}
  condition: sel
"@
            Set-Content (Join-Path $Bad 'dangling_correlation.yml') @"
title: Dangling correlation
correlation:
  type: event_count
  rules: [no_such_rule]
  timespan: 5m
  condition: {gte: 2}
"@
            Set-Content (Join-Path $Bad 'good.yml') @"
title: Good rule
id: 0d3c3b0e-0000-4000-8000-000000000001
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin}
  condition: sel
"@
        }

        It 'returns the good rule and one warning per bad file, naming the file and the feature' {
            $rules = Get-CloudIdDetectionRule -Path $Bad -WarningVariable w -WarningAction SilentlyContinue
            $rules.Title | Should -Be 'Good rule'
            $w.Count | Should -Be 4
            ($w | Where-Object { "$_" -like '*not_yaml.yml*' }) | Should -Match 'Not valid YAML'
            ($w | Where-Object { "$_" -like '*bad_modifier.yml*' }) | Should -Match "Unsupported value modifier 'sounds_like'.*\[unsupported or invalid: sounds_like\]"
            ($w | Where-Object { "$_" -like '*windash_all.yml*' }) | Should -Match "'all' with 'windash'"
            ($w | Where-Object { "$_" -like '*dangling_correlation.yml*' }) | Should -Match 'no_such_rule'
        }

        It 'reports a missing path as a PathNotFound error' {
            $null = Get-CloudIdDetectionRule -Path (Join-Path $TestDrive 'nope') -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }
}
