BeforeDiscovery {
    $script:HaveCorpus = Test-Path ([System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/sigma')))
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:SigmaRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/sigma'))
}

Describe 'Test-CloudIdDetectionRule' {
    It 'passes every sample of the built-in pack' {
        $results = Test-CloudIdDetectionRule
        $results.Count | Should -Be (Get-CloudIdDetectionRule).Count
        foreach ($r in $results) {
            $r.Status | Should -Be 'Passed' -Because "$($r.Title): $($r.FailedSamples -join ', ') $($r.Problems -join '; ')"
            $r.SamplesFailed | Should -Be 0
            $r.SamplesPassed | Should -BeGreaterOrEqual 2
        }
        ($results | Where-Object Kind -EQ 'Correlation' | Measure-Object SamplesPassed -Sum).Sum | Should -Be 30
    }

    It 'names passed and failed samples, and reports warnings for unknown fields' {
        $file = Join-Path $TestDrive 'rule.yml'
        Set-Content $file @"
title: Root console login
id: 1f9d4a55-0000-4000-8000-000000000001
logsource: {product: aws, service: cloudtrail}
detection:
  sel:
    eventName: ConsoleLogin
    userIdentity.type: Root
    srcIp: 203.0.113.9
  condition: sel
tests:
  - name: root login
    match: true
    event: {eventName: ConsoleLogin, userIdentity: {type: Root}, srcIp: 203.0.113.9}
  - name: wrong verdict on purpose
    match: true
    event: {eventName: ConsoleLogin, userIdentity: {type: IAMUser}}
"@
        $r = Test-CloudIdDetectionRule -Path $file
        $r.RuleId | Should -Be '1f9d4a55-0000-4000-8000-000000000001'
        $r.File | Should -Be $file
        $r.Status | Should -Be 'Failed'
        $r.PassedSamples | Should -Be @('root login')
        $r.FailedSamples | Should -Be @('wrong verdict on purpose')
        $r.Problems.Count | Should -Be 1
        $r.Problems[0].Severity | Should -Be 'Warning'
        $r.Problems[0].Message | Should -Be "Field 'srcIp' is not a aws/cloudtrail record field."
    }

    It 'runs sequence samples (events + expect) through the correlation engine' {
        $file = Join-Path $TestDrive 'burst.yml'
        Set-Content $file @"
title: Three denials
id: 1f9d4a55-0000-4000-8000-000000000002
correlation:
  type: event_count
  rules: [denied]
  group-by: [userIdentity.arn]
  timespan: 1m
  condition: {gte: 3}
tests:
  - name: three in a minute
    expect: 1
    events:
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:00:00Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:00:20Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:00:40Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
  - name: three in three minutes (expects a finding it will not get)
    expect: 1 finding
    events:
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:00:00Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:01:30Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
      - {eventVersion: '1.09', eventSource: iam.amazonaws.com, eventName: ListUsers, awsRegion: us-east-1, eventTime: '2024-05-01T10:03:00Z', errorCode: AccessDenied, userIdentity: {arn: 'arn:aws:iam::111111111111:user/a'}}
---
title: Denied
id: 1f9d4a55-0000-4000-8000-000000000003
name: denied
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {errorCode: AccessDenied}
  condition: sel
"@
        $results = Test-CloudIdDetectionRule -Path $file
        $c = $results | Where-Object Kind -EQ 'Correlation'
        $c.PassedSamples | Should -Be @('three in a minute')
        $c.FailedSamples | Should -Be @('three in three minutes (expects a finding it will not get)')
        ($c.Samples | Where-Object Passed -EQ $false).Actual | Should -Be '0 findings'
        $c.Status | Should -Be 'Failed'
    }

    It 'reports a file that does not load as Invalid with the problem' {
        $file = Join-Path $TestDrive 'invalid.yml'
        Set-Content $file "title: bad`nlogsource: {product: aws}`ndetection:`n  sel: {x|base64offset|contains: 'who*mi'}`n  condition: sel`n"
        $r = Test-CloudIdDetectionRule -Path $file
        $r.Status | Should -Be 'Invalid'
        $r.File | Should -Be $file
        $r.Problems[0].Severity | Should -Be 'Error'
        $r.Problems[0].Message | Should -Match 'wildcards cannot be base64-encoded'
    }

    It 'accepts rules from Get-CloudIdDetectionRule on the pipeline' {
        $r = Get-CloudIdDetectionRule -Id '7f3c6a0e-2d41-4b8e-9a5c-1e0b6f4d2a11' | Test-CloudIdDetectionRule
        $r.Status | Should -Be 'Passed'
    }

    It 'validates the SigmaHQ cloud rules without invalid results' -Skip:(-not $HaveCorpus) {
        $results = Test-CloudIdDetectionRule -Path $SigmaRoot
        ($results | Where-Object Status -EQ 'Invalid').Count | Should -BeLessOrEqual ([math]::Floor($results.Count * 0.02))
    }
}
