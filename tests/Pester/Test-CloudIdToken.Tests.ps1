BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'TokenTestHelpers.ps1')
    $script:HasJose = Test-JosePeer
    if ($script:HasJose) { $script:Minted = Invoke-JoseMint @('tokens', 'https://issuer.example', 'api://cloudid-tests') }
}

Describe 'Test-CloudIdToken with tokens minted by jose (an independent implementation)' {
    It 'validates a <Alg> token and rejects a tampered copy' -TestCases @(
        @{ Alg = 'RS256' }, @{ Alg = 'PS256' }, @{ Alg = 'ES256' }, @{ Alg = 'ES384' }, @{ Alg = 'EdDSA' }
    ) {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'node or tests/node/node_modules/jose is missing (build.ps1 runs npm ci)'; return }
        $jwks = $script:Minted.jwks | ConvertTo-Json -Depth 10
        $token = $script:Minted.tokens.$Alg
        $report = Test-CloudIdToken -Token $token -Jwks $jwks -Issuer https://issuer.example -Audience api://cloudid-tests
        $report.IsValid | Should -BeTrue -Because (($report.Failures | ForEach-Object Message) -join '; ')
        $report.Algorithm | Should -BeExactly $Alg
        $report.Subject | Should -BeExactly 'user-1'
        ($report.Checks | Where-Object Name -eq 'Signature').Outcome | Should -Be 'Passed'

        $tampered = Set-TokenPayload $token 'user-1' 'admin-1'
        $bad = Test-CloudIdToken -Token $tampered -Jwks $jwks -Issuer https://issuer.example -Audience api://cloudid-tests
        $bad.IsValid | Should -BeFalse
        $bad.FailureReasons | Should -Be @('InvalidSignature')
        $bad.Indicators.Id | Should -Contain 'InvalidSignature'
    }

    It 'returns only a boolean with -Quiet, from the pipeline' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $jwks = $script:Minted.jwks | ConvertTo-Json -Depth 10
        $results = @($script:Minted.tokens.RS256, (Set-TokenPayload $script:Minted.tokens.RS256 'read' 'write')) | Test-CloudIdToken -Jwks $jwks -Quiet
        $results | Should -Be @($true, $false)
        $results[0] | Should -BeOfType [bool]
    }

    It 'fetches discovery and JWKS from a loopback issuer and rejects an unknown kid' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $jwksFile = Join-Path $TestDrive 'issuer-jwks.json'
        $script:Minted.jwks | ConvertTo-Json -Depth 10 | Set-Content $jwksFile
        $server = Start-LoopbackIssuer $jwksFile
        try {
            $mint = Invoke-JoseMint @('tokens', $server.Issuer, 'api://loopback')
            $mint.jwks | ConvertTo-Json -Depth 10 | Set-Content $jwksFile
            $report = Test-CloudIdToken -Token $mint.tokens.ES256 -Issuer $server.Issuer -Audience api://loopback
            $report.IsValid | Should -BeTrue -Because (($report.Failures | ForEach-Object Message) -join '; ')
            $report.KeySource | Should -BeLike "JWKS of http://127.0.0.1:$($server.Port)*"

            $other = Invoke-JoseMint @('tokens', $server.Issuer, 'api://loopback')   # same kids, keys the issuer never published
            $foreign = Test-CloudIdToken -Token $other.tokens.ES256 -DiscoveryUri "$($server.Issuer)/.well-known/openid-configuration"
            $foreign.IsValid | Should -BeFalse
            $foreign.FailureReasons | Should -Be @('InvalidSignature')
            ($foreign.Checks | Where-Object Name -eq 'Issuer').Outcome | Should -Be 'Passed'   # the issuer came from discovery

            $rsa = New-TestRsaKey
            $unknown = New-TestRs256Token $rsa @{ alg = 'RS256'; kid = 'k-unknown' } @{ iss = $server.Issuer; exp = (Get-UnixTime) + 60 }
            $report = Test-CloudIdToken -Token $unknown -Issuer $server.Issuer
            $report.FailureReasons | Should -Be @('KeyNotFound')
            $report.Indicators.Id | Should -Contain 'UnknownKeyId'
        }
        finally { Stop-LoopbackIssuer $server }
    }
}

Describe 'Test-CloudIdToken forged-token indicators' {
    BeforeAll {
        $script:Rsa = New-TestRsaKey
        $script:Jwks = @{ keys = @(Get-TestJwk $script:Rsa 'k1') } | ConvertTo-Json -Depth 5
        $now = Get-UnixTime
        $script:Claims = @{ iss = 'https://issuer.example'; aud = 'api://a'; sub = 'u1'; iat = $now; exp = $now + 3600 }
        function Copy-Claims([hashtable] $Changes) {
            $copy = $script:Claims.Clone()
            foreach ($k in $Changes.Keys) { $copy[$k] = $Changes[$k] }
            $copy
        }
    }

    It 'rejects alg <Alg> before any signature math (BR-27)' -TestCases @(@{ Alg = 'none' }, @{ Alg = 'None' }, @{ Alg = 'NONE' }, @{ Alg = 'nOnE' }) {
        $h = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes("{`"alg`":`"$Alg`",`"typ`":`"JWT`"}"))
        $c = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes(($script:Claims | ConvertTo-Json -Compress)))
        $report = Test-CloudIdToken -Token "$h.$c." -Jwks $script:Jwks -Algorithm RS256
        $report.IsValid | Should -BeFalse
        ($report.Checks | Where-Object Name -eq 'Algorithm').Reason | Should -BeExactly 'AlgorithmNotAllowed'
        ($report.Checks | Where-Object Name -eq 'Signature').Outcome | Should -Be 'Skipped'
        ($report.Indicators | Where-Object Id -eq 'AlgNone').Severity | Should -Be 'Critical'
    }

    It 'flags an embedded jwk, an unknown kid and a future iat with severities' {
        $attacker = New-TestRsaKey
        $token = New-TestRs256Token $attacker @{ alg = 'RS256'; kid = 'k-attacker'; jwk = (Get-TestJwk $attacker 'k-attacker') } (Copy-Claims @{ iat = (Get-UnixTime) + 7200 })
        $report = Test-CloudIdToken -Token $token -Jwks $script:Jwks
        $report.IsValid | Should -BeFalse
        ($report.Indicators | Where-Object Id -eq 'EmbeddedJwk').Severity | Should -Be 'High'
        ($report.Indicators | Where-Object Id -eq 'UnknownKeyId').Severity | Should -Be 'High'
        ($report.Indicators | Where-Object Id -eq 'IssuedInFuture').Severity | Should -Be 'Medium'
        $report.HighestSeverity | Should -Be 'High'
    }

    It 'flags a lifetime above -MaxLifetime' {
        $token = New-TestRs256Token $script:Rsa @{ alg = 'RS256'; kid = 'k1' } (Copy-Claims @{ exp = (Get-UnixTime) + 3 * 86400 })
        $report = Test-CloudIdToken -Token $token -Jwks $script:Jwks -MaxLifetime ([TimeSpan]::FromHours(2))
        ($report.Checks | Where-Object Name -eq 'Lifetime').Reason | Should -BeExactly 'LifetimeExceedsPolicy'
        $report.Indicators.Id | Should -Contain 'LifetimeAbovePolicy'
    }

    It 'validates as of -At (forensics) and checks Entra templates bound to tid' {
        $tid = '00000000-0000-0000-0000-0000000000aa'
        $iat = [DateTimeOffset]::new(2024, 10, 1, 8, 0, 0, [TimeSpan]::Zero)
        $claims = @{ iss = "https://login.microsoftonline.com/$tid/v2.0"; tid = $tid; aud = 'api://a'; iat = $iat.ToUnixTimeSeconds(); exp = $iat.AddHours(1).ToUnixTimeSeconds() }
        $token = New-TestRs256Token $script:Rsa @{ alg = 'RS256'; kid = 'k1' } $claims
        $common = @{ Token = $token; Jwks = $script:Jwks; Issuer = 'https://login.microsoftonline.com/{tenantid}/v2.0', 'https://sts.windows.net/{tenantid}/'; Audience = 'api://a' }
        (Test-CloudIdToken @common -TenantId $tid -At $iat.AddMinutes(10).UtcDateTime).IsValid | Should -BeTrue
        (Test-CloudIdToken @common -TenantId $tid).FailureReasons | Should -Be @('Expired')
        (Test-CloudIdToken @common -TenantId '00000000-0000-0000-0000-0000000000bb' -At $iat.AddMinutes(10).UtcDateTime).FailureReasons | Should -Be @('TenantNotAllowed')
    }

    It 'checks a token claiming an Entra key against a saved Entra JWKS' {
        $entra = Join-Path $script:SharedCorpus 'jwt/oidc-discovery/entra-common/jwks.json'
        if (-not (Test-Path $entra)) { Set-ItResult -Skipped -Because '../shared/corpus is absent'; return }
        $kid = ((Get-Content -Raw $entra | ConvertFrom-Json).keys | Select-Object -First 1).kid
        $forged = New-TestRs256Token $script:Rsa @{ alg = 'RS256'; kid = $kid; typ = 'JWT' } @{
            iss = 'https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0'; tid = '00000000-0000-0000-0000-0000000000aa'
            aud = 'api://a'; iat = (Get-UnixTime); exp = (Get-UnixTime) + 3600 }
        $report = Test-CloudIdToken -Token $forged -JwksPath $entra -Issuer 'https://login.microsoftonline.com/{tenantid}/v2.0' -TenantId '*' -Audience api://a
        $report.IsValid | Should -BeFalse
        $report.FailureReasons | Should -Be @('InvalidSignature')
        ($report.Checks | Where-Object Name -eq 'Issuer').Outcome | Should -Be 'Passed'
    }

    It 'reports a key retired before the token was issued, from a saved key history' {
        $store = Join-Path $TestDrive 'history'
        $newKey = New-TestRsaKey
        $t0 = [DateTime]::UtcNow.AddDays(-20)
        $null = Save-CloudIdSigningKeySet -Issuer https://issuer.example -Jwks $script:Jwks -SeenAt $t0 -StorePath $store
        $null = Save-CloudIdSigningKeySet -Issuer https://issuer.example -Jwks (@{ keys = @(Get-TestJwk $newKey 'k2') } | ConvertTo-Json -Depth 5) -SeenAt $t0.AddDays(10) -StorePath $store
        $token = New-TestRs256Token $script:Rsa @{ alg = 'RS256'; kid = 'k1' } $script:Claims
        $report = Test-CloudIdToken -Token $token -Jwks $script:Jwks -Issuer https://issuer.example -KeyHistoryPath $store
        $report.FailureReasons | Should -Be @('KeyRetiredBeforeIssued')
        ($report.Indicators | Where-Object Id -eq 'KeyRetiredBeforeIssued').Severity | Should -Be 'High'
    }
}

Describe 'Test-CloudIdToken errors and masking' {
    It 'refuses a templated issuer as its only key source' {
        { Test-CloudIdToken -Token 'a.b.c' -Issuer 'https://login.microsoftonline.com/{tenantid}/v2.0' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KeySourceInvalid,CloudIdentity.Commands.Tokens.TestCloudIdTokenCommand'
    }

    It 'refuses plain http for a non-loopback issuer' {
        { Test-CloudIdToken -Token 'a.b.c' -DiscoveryUri 'http://issuer.example/.well-known/openid-configuration' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KeySourceInvalid,CloudIdentity.Commands.Tokens.TestCloudIdTokenCommand'
    }

    It 'never writes the token in verbose output or the report' {
        $rsa = New-TestRsaKey
        $token = New-TestRs256Token $rsa @{ alg = 'RS256'; kid = 'k1' } @{ sub = 'secret-subject'; exp = (Get-UnixTime) + 60 }
        $jwks = @{ keys = @(Get-TestJwk $rsa 'k1') } | ConvertTo-Json -Depth 5
        $all = Test-CloudIdToken -Token $token -Jwks $jwks -Verbose 4>&1
        $verbose = ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Not -BeNullOrEmpty
        $verbose | Should -Not -Match ([regex]::Escape($token.Split('.')[1]))
        $report = $all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        ($report | ConvertTo-Json -Depth 6) | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
        $report.TokenPreview.Length | Should -BeLessThan 30
    }

    It 'treats garbage as an invalid result, not an exception' {
        $report = Test-CloudIdToken -Token 'not-a-token' -Jwks '{"keys":[]}'
        $report.IsValid | Should -BeFalse
        $report.FailureReasons | Should -Be @('MalformedToken')
    }
}
