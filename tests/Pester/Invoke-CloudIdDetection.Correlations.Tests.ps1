BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force

    function New-Record([string] $Time, [string] $Name, [string] $User, [string] $ErrorCode, [string] $Source = 'iam.amazonaws.com') {
        $r = [ordered]@{
            eventVersion = '1.09'; eventTime = $Time; eventSource = $Source; eventName = $Name; awsRegion = 'us-east-1'
            sourceIPAddress = '198.51.100.23'
            userIdentity = @{ type = 'IAMUser'; userName = $User; arn = "arn:aws:iam::111111111111:user/$User"; accountId = '111111111111' }
        }
        if ($ErrorCode) { $r.errorCode = $ErrorCode }
        $r
    }
}

Describe 'Invoke-CloudIdDetection' {
    It 'emits a correlation finding with its contributing events for an access-denied burst' {
        $apis = 'ListUsers', 'ListRoles', 'ListPolicies', 'ListGroups', 'GetAccountSummary', 'ListAccessKeys', 'ListMFADevices',
            'ListSAMLProviders', 'ListInstanceProfiles', 'GetAccountPasswordPolicy', 'ListServerCertificates'
        $records = for ($i = 0; $i -lt $apis.Count; $i++) {
            New-Record ('2024-05-01T10:{0:00}:00Z' -f [int]($i / 2)) $apis[$i] 'ci-deployer' 'AccessDenied'
        }
        $file = Join-Path $TestDrive 'burst.json'
        @{ Records = @($records) } | ConvertTo-Json -Depth 6 | Set-Content $file
        $findings = Get-CloudIdEvent -Path $file | Invoke-CloudIdDetection
        $f = @($findings | Where-Object RuleId -EQ '66fa8bee-a403-48a8-b96f-6367739af388')
        $f.Count | Should -Be 1
        $f[0].Events.Count | Should -Be 10
        $f[0].Actor | Should -Be 'arn:aws:iam::111111111111:user/ci-deployer'
        # The building-block rule does not report each denial on its own (generate is false).
        $findings | Where-Object RuleId -EQ 'b71760e3-1856-4eeb-9984-fb8367447c7a' | Should -BeNullOrEmpty
    }

    It 'decides windows still open when the pipeline ends (flush)' {
        $rules = Join-Path $TestDrive 'quiet.yml'
        Set-Content $rules @"
title: Few logins
id: 1f9d4a55-0000-4000-8000-00000000000a
correlation:
  type: event_count
  rules: [login]
  group-by: [userIdentity.userName]
  timespan: 1h
  condition: {lt: 3}
---
title: Login
id: 1f9d4a55-0000-4000-8000-00000000000b
name: login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ListUsers}
  condition: sel
"@
        $file = Join-Path $TestDrive 'two.json'
        @{ Records = @((New-Record '2024-05-01T10:00:00Z' 'ListUsers' 'alice'), (New-Record '2024-05-01T10:01:00Z' 'ListUsers' 'alice')) } |
            ConvertTo-Json -Depth 6 | Set-Content $file
        $r = Get-CloudIdDetectionRule -Path $rules -Id '1f9d4a55-0000-4000-8000-00000000000a'
        $f = @(Get-CloudIdEvent -Path $file | Invoke-CloudIdDetection -Rule $r)
        $f.Count | Should -Be 1
        $f[0].RuleTitle | Should -Be 'Few logins'
        $f[0].Events.Count | Should -Be 2
    }
}
