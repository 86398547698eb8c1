BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'TokenTestHelpers.ps1')
}

Describe 'ConvertFrom-CloudIdToken' {
    It 'decodes header and claims and says the result is unvalidated' {
        $rsa = New-TestRsaKey
        $token = New-TestRs256Token $rsa @{ alg = 'RS256'; kid = 'k1'; typ = 'JWT' } @{ iss = 'https://issuer.example'; aud = @('a', 'b'); sub = 'u1'; exp = 4102444800; cnf = @{ jkt = 'x' } }
        $decoded = ConvertFrom-CloudIdToken -Token $token
        $decoded.PSObject.TypeNames[0] | Should -BeExactly 'CloudIdentity.Engine.Tokens.UnvalidatedToken'
        $decoded.Validated | Should -BeFalse
        $decoded.Algorithm | Should -BeExactly 'RS256'
        $decoded.KeyId | Should -BeExactly 'k1'
        $decoded.Audience | Should -Be @('a', 'b')
        $decoded.Expires | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(4102444800))
        $decoded.Claims['cnf']['jkt'] | Should -BeExactly 'x'
        $decoded.Header['typ'] | Should -BeExactly 'JWT'
    }

    It 'accepts tokens from the pipeline by property name' {
        $rsa = New-TestRsaKey
        $token = New-TestRs256Token $rsa @{ alg = 'RS256' } @{ sub = 'p1' }
        ([pscustomobject]@{ AccessToken = $token } | ConvertFrom-CloudIdToken).Subject | Should -BeExactly 'p1'
    }

    It 'writes a masked, non-terminating error for a malformed token' {
        $secret = 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJlLXNlY3JldA'
        $out = ConvertFrom-CloudIdToken -Token $secret, 'x' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeExactly 'TokenMalformed,CloudIdentity.Commands.Tokens.ConvertFromCloudIdTokenCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].ToString() | Should -Not -Match 'c2lnbmF0dXJlLXNlY3JldA'
        "$($errs[0].TargetObject)" | Should -Not -Match 'c2lnbmF0dXJlLXNlY3JldA'
    }
}
