BeforeDiscovery { $HasShared = Test-Path (Join-Path $PSScriptRoot '../../../shared/corpus') }

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Shared = Join-Path $PSScriptRoot '../../../shared/corpus'
}

Describe 'Get-CloudIdEvent with Entra and Azure inputs' {
    It 'reads Graph PowerShell SDK-shaped objects (PascalCase plus AdditionalProperties)' {
        $status = [pscustomobject]@{ ErrorCode = 50126; FailureReason = 'Invalid username or password'; AdditionalProperties = @{} }
        $signIn = [pscustomobject]@{
            Id = 's1'; CreatedDateTime = [datetime]::new(2024, 3, 1, 10, 15, 30, [DateTimeKind]::Utc); UserPrincipalName = 'u@example.invalid'
            IPAddress = '198.51.100.9'; Status = $status; IsInteractive = $true
            AdditionalProperties = @{ authenticationRequirement = 'singleFactorAuthentication' }
        }
        $e = $signIn | Get-CloudIdEvent
        $e.LogSource | Should -Be 'azure/signinlogs'
        $e.Time | Should -Be ([DateTimeOffset]::new(2024, 3, 1, 10, 15, 30, [TimeSpan]::Zero))
        $e.Outcome | Should -Be 'Failure'
        $e.ErrorCode | Should -Be '50126'
        $e.SourceIp | Should -Be '198.51.100.9'
        $e.MfaAuthenticated | Should -BeFalse
    }

    It 'reads diagnostic-settings sign-in exports line by line' -Skip:(-not $HasShared) {
        $events = @(Get-CloudIdEvent -LiteralPath (Join-Path $Shared 'entra/elastic/test-signinlogs-raw.log'))
        $events.Count | Should -Be 5
        ($events.EventType -join ',') | Should -Be 'interactive,nonInteractive,servicePrincipal,servicePrincipal,managedIdentity'
    }

    It 'keeps BR-12 instants whatever ConvertFrom-Json does with dates' {
        $json = '{"value":[{"id":"s2","createdDateTime":"2024-03-01T10:15:30.1234567Z","userPrincipalName":"u@example.invalid","status":{"errorCode":0}}]}'
        $viaText = $json | Get-CloudIdEvent
        $viaObject = ($json | ConvertFrom-Json).value | Get-CloudIdEvent
        $viaText.Time.UtcTicks | Should -Be ([DateTimeOffset]::new(2024, 3, 1, 10, 15, 30, [TimeSpan]::Zero).AddTicks(1234567).UtcTicks)
        $viaObject.Time.UtcTicks | Should -Be $viaText.Time.UtcTicks
    }
}
