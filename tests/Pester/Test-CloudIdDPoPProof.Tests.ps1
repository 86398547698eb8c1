BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'TokenTestHelpers.ps1')
    $script:HasJose = Test-JosePeer
}

Describe 'Test-CloudIdDPoPProof with proofs minted by jose' {
    BeforeEach {
        if ($script:HasJose) { $script:Mint = Invoke-JoseMint @('dpop', 'GET', 'https://api.example.com/v1/Items') }
        $script:Store = Join-Path $TestDrive "replay-$([guid]::NewGuid().ToString('N')).db"
    }

    It 'accepts a fresh proof bound to the access token, then rejects its replay in a later run' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'node or jose missing (build.ps1 runs npm ci)'; return }
        $report = Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method GET -Uri 'https://API.example.com:443/v1/Items?page=2' -AccessToken $script:Mint.accessToken -ReplayStorePath $script:Store
        $report.IsValid | Should -BeTrue -Because (($report.Failures | ForEach-Object Message) -join '; ')
        $report.KeyThumbprint | Should -BeExactly $script:Mint.jkt
        $report.Recorded | Should -BeTrue

        # A separate process (like the next run of a scheduled task) sees the recorded jti.
        $child = @"
Import-Module '$env:CLOUDID_MODULE_PATH'
(Test-CloudIdDPoPProof -Proof '$($script:Mint.proof)' -Method GET -Uri https://api.example.com/v1/Items -ReplayStorePath '$($script:Store)').FailureReasons -join ','
"@
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $result = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -Command $child } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $child }
        $result | Should -BeExactly 'Replayed'
    }

    It 'does not record the proof id with -WhatIf' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $first = Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method GET -Uri https://api.example.com/v1/Items -ReplayStorePath $script:Store -WhatIf
        $first.IsValid | Should -BeTrue
        $first.Recorded | Should -BeFalse
        (Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method GET -Uri https://api.example.com/v1/Items -ReplayStorePath $script:Store -Quiet) | Should -BeTrue
    }

    It 'rejects <Case>' -TestCases @(
        @{ Case = 'a lowercase method'; Method = 'get'; Uri = 'https://api.example.com/v1/Items'; Check = 'Method'; Reason = 'MethodMismatch' }
        @{ Case = 'another path'; Method = 'GET'; Uri = 'https://api.example.com/v1/items'; Check = 'Uri'; Reason = 'UriMismatch' }
        @{ Case = 'a trailing slash'; Method = 'GET'; Uri = 'https://api.example.com/v1/Items/'; Check = 'Uri'; Reason = 'UriMismatch' }
    ) {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $report = Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method $Method -Uri $Uri -ReplayStorePath $script:Store
        $report.IsValid | Should -BeFalse
        ($report.Checks | Where-Object Name -eq $Check).Reason | Should -BeExactly $Reason
        ($report.Checks | Where-Object Name -eq 'Replay').Reason | Should -BeExactly 'NotRecorded'
    }

    It 'rejects a tampered proof, a missing ath and a nonce mismatch' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $tampered = Set-TokenPayload $script:Mint.proof 'GET' 'PUT'
        (Test-CloudIdDPoPProof -Proof $tampered -Method PUT -Uri https://api.example.com/v1/Items -ReplayStorePath $script:Store).FailureReasons | Should -Contain 'InvalidSignature'
        $noAth = Test-CloudIdDPoPProof -Proof $script:Mint.proofWithoutAth -Method GET -Uri https://api.example.com/v1/Items -AccessToken $script:Mint.accessToken -ReplayStorePath $script:Store
        ($noAth.Checks | Where-Object Name -eq 'AccessTokenHash').Reason | Should -BeExactly 'MissingClaim'
        $nonce = Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method GET -Uri https://api.example.com/v1/Items -Nonce 'server-nonce' -ReplayStorePath $script:Store
        ($nonce.Checks | Where-Object Name -eq 'Nonce').Reason | Should -BeExactly 'MissingNonce'
    }

    It 'never shows the proof or access token in verbose output' {
        if (-not $script:HasJose) { Set-ItResult -Skipped -Because 'jose peer missing'; return }
        $verbose = Test-CloudIdDPoPProof -Proof $script:Mint.proof -Method GET -Uri https://api.example.com/v1/Items -AccessToken $script:Mint.accessToken -ReplayStorePath $script:Store -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($script:Mint.proof.Split('.')[2]))
        ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($script:Mint.accessToken.Split('.')[1]))
    }
}
