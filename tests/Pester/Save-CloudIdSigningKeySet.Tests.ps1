BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'TokenTestHelpers.ps1')
    $script:Jwks = @{ keys = @(Get-TestJwk (New-TestRsaKey) 'k1') } | ConvertTo-Json -Depth 5
}

Describe 'Save-CloudIdSigningKeySet' {
    It 'records a JWKS with the time it was seen' {
        $store = Join-Path $TestDrive 'store'
        $seen = [DateTime]::new(2024, 6, 5, 17, 34, 0, [DateTimeKind]::Utc)
        $record = Save-CloudIdSigningKeySet -Issuer https://issuer.example -Jwks $script:Jwks -SeenAt $seen -StorePath $store
        $record.KeyIds | Should -Be @('k1')
        $record.SeenAt | Should -Be ([DateTimeOffset]$seen)
        $record.Path | Should -BeLike "$store*"
        (Get-Content -Raw $record.Path | ConvertFrom-Json).issuer | Should -BeExactly 'https://issuer.example'
    }

    It 'records the real Entra key history from files on the pipeline' {
        $folder = Join-Path $script:SharedCorpus 'jwt/oidc-discovery/entra-common/history'
        if (-not (Test-Path $folder)) { Set-ItResult -Skipped -Because '../shared/corpus is absent'; return }
        $store = Join-Path $TestDrive 'entra'
        $records = Get-ChildItem $folder -Filter 'jwks_*.json' | Sort-Object Name | ForEach-Object {
            $_ | Save-CloudIdSigningKeySet -Issuer 'https://login.microsoftonline.com/{tenantid}/v2.0' -StorePath $store -SeenAt ([DateTime]::ParseExact($_.Name.Substring(5, 10), 'yyyy-MM-dd', $null))
        }
        $records.Count | Should -Be 4
        $records[0].KeyIds | Should -Contain 'q-23falevZhhD3hm9CQbkP5MQyU'
        $records[1].KeyIds | Should -Not -Contain 'q-23falevZhhD3hm9CQbkP5MQyU'
    }

    It 'writes nothing with -WhatIf' {
        $store = Join-Path $TestDrive 'whatif'
        Save-CloudIdSigningKeySet -Issuer https://issuer.example -Jwks $script:Jwks -StorePath $store -WhatIf | Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse
    }

    It 'defaults to local application data, never the current directory' {
        $data = Join-Path $TestDrive 'xdg'
        $cwd = New-Item -ItemType Directory (Join-Path $TestDrive 'cwd')
        $old = $env:XDG_DATA_HOME
        Push-Location $cwd
        try {
            $env:XDG_DATA_HOME = $data
            if (-not $IsLinux) { Set-ItResult -Skipped -Because 'XDG_DATA_HOME only steers local app data on Linux'; return }
            $record = Save-CloudIdSigningKeySet -Issuer https://issuer.example -Jwks $script:Jwks
            $record.Path | Should -BeLike (Join-Path $data 'CloudIdentity/SigningKeyHistory/*')
            Get-ChildItem $cwd -Force | Should -BeNullOrEmpty
        }
        finally { $env:XDG_DATA_HOME = $old; Pop-Location }
    }

    It 'reports invalid JWKS JSON as a non-terminating error' {
        Save-CloudIdSigningKeySet -Issuer x -Jwks '{"nokeys":1}' -StorePath (Join-Path $TestDrive 'bad') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeExactly 'JwksInvalid,CloudIdentity.Commands.Tokens.SaveCloudIdSigningKeySetCommand'
    }

    It 'fetches the JWKS through discovery from a loopback issuer' {
        if (-not (Test-JosePeer)) { Set-ItResult -Skipped -Because 'node peer missing'; return }
        $file = Join-Path $TestDrive 'served.json'
        Set-Content $file $script:Jwks
        $server = Start-LoopbackIssuer $file
        try {
            $record = Save-CloudIdSigningKeySet -Issuer $server.Issuer -DiscoveryUri "$($server.Issuer)/.well-known/openid-configuration" -StorePath (Join-Path $TestDrive 'live')
            $record.KeyIds | Should -Be @('k1')
        }
        finally { Stop-LoopbackIssuer $server }
    }
}
