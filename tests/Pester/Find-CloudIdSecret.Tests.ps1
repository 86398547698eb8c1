BeforeDiscovery {
    $SharedPresent = Test-Path ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus')))
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:T = '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'
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ("cloudid-find-" + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $Root
    $null = New-Item -ItemType Directory -Path (Join-Path $Root 'src'), (Join-Path $Root 'node_modules')
    Set-Content -Path (Join-Path $Root 'src/app.config') -Value "line one`napi = `"$T`"`n"
    Set-Content -Path (Join-Path $Root 'node_modules/dep.js') -Value "token = '$T'"
    Set-Content -Path (Join-Path $Root 'src/clean.txt') -Value 'nothing here'
    $script:Shared = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/secrets'))
}

AfterAll { Remove-Item -Recurse -Force $Root -ErrorAction SilentlyContinue }

Describe 'Find-CloudIdSecret' {
    It 'finds a secret in a folder tree with -Recurse and reports a masked value, line and column' {
        $f = @(Find-CloudIdSecret -Path $Root -Recurse -Exclude node_modules)
        $f.Count | Should -Be 1
        $f[0].PatternId | Should -Be 'github-token'
        $f[0].Line | Should -Be 2
        $f[0].Column | Should -Be 8
        $f[0].Masked | Should -Be 'ghp_****************Z6'
        $f[0].Location | Should -Be (Join-Path $Root 'src/app.config')
        $f[0].Fingerprint | Should -Match '^[0-9a-f]{32}$'
    }

    It 'expands wildcards and honours -Exclude patterns' {
        @(Find-CloudIdSecret -Path (Join-Path $Root 'src/*.config')).Count | Should -Be 1
        @(Find-CloudIdSecret -Path (Join-Path $Root '*') -Recurse).Count | Should -Be 2
        @(Find-CloudIdSecret -Path (Join-Path $Root '*') -Recurse -Exclude '*.js').Count | Should -Be 1
    }

    It 'scans strings from the pipeline with running line numbers' {
        $f = @("first line", "second token=$T", "third") | Find-CloudIdSecret
        $f.Count | Should -Be 1
        $f[0].Line | Should -Be 2
        $f[0].Location | Should -Be 'InputObject'
    }

    It 'scans name/value items such as environment variables' {
        $f = [System.Collections.DictionaryEntry]::new('GH_TOKEN', $T) | Find-CloudIdSecret
        $f.Location | Should -Be 'InputObject:GH_TOKEN'
    }

    It 'never writes the secret to any stream' {
        $all = & { Find-CloudIdSecret -Path $Root -Recurse -Verbose 4>&1 3>&1 2>&1 | Out-String -Width 500 }
        $all | Should -Not -BeNullOrEmpty
        $all | Should -Not -Match ([regex]::Escape($T))
        (Find-CloudIdSecret -Path $Root -Recurse | ConvertTo-Json -Depth 4) | Should -Not -Match ([regex]::Escape($T))
    }

    It 'suppresses known findings with a baseline file of fingerprints' {
        $baseline = Join-Path $Root 'baseline.txt'
        Find-CloudIdSecret -Path $Root -Recurse | ForEach-Object Fingerprint | Set-Content $baseline
        @(Find-CloudIdSecret -Path $Root -Recurse -Exclude 'baseline.txt' -BaselinePath $baseline).Count | Should -Be 0
    }

    It 'loads user patterns from a YAML file and rejects invalid ones with PatternFileInvalid' {
        $yaml = Join-Path $Root 'acme.yml'
        Set-Content $yaml @"
- id: acme-key
  title: ACME key
  severity: High
  regex: 'acme_(?<secret>[a-z0-9]{24})'
  examples: { positive: ['acme_k3j4h5g6f7d8s9a0p1o2i3u4'], negative: ['acme_x'] }
"@
        $f = 'key: acme_k3j4h5g6f7d8s9a0p1o2i3u4' | Find-CloudIdSecret -PatternFile $yaml
        $f.PatternId | Should -Be 'acme-key'
        Set-Content (Join-Path $Root 'bad.yml') "- id: Bad Id`n  regex: x"
        { 'x' | Find-CloudIdSecret -PatternFile (Join-Path $Root 'bad.yml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PatternFileInvalid,CloudIdentity.Commands.FindCloudIdSecretCommand'
    }

    It 'reports a truncated gzip file instead of passing it as scanned' {
        # Found by a new-user trial: the first half was scanned and nothing said the rest was missing.
        $lines = (1..4000 | ForEach-Object { "filler line $_ with some text to compress" }) + "api = `"$T`"" + (1..4000 | ForEach-Object { "more filler $_" })
        $bytes = [Text.Encoding]::UTF8.GetBytes($lines -join "`n")
        $gzPath = Join-Path $Root 'cut.txt.gz'
        $ms = [IO.MemoryStream]::new()
        $gz = [IO.Compression.GZipStream]::new($ms, [IO.Compression.CompressionLevel]::Optimal)
        $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose()
        $all = $ms.ToArray()
        [IO.File]::WriteAllBytes($gzPath, $all[0..([int]($all.Length / 3))])
        try {
            $f = @(Find-CloudIdSecret -LiteralPath $gzPath -ErrorVariable errs -ErrorAction SilentlyContinue)
            $f.Count | Should -Be 0
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'SecretScanReadError,*'
            "$($errs[0])" | Should -Match 'ends early or is damaged'
        }
        finally { Remove-Item $gzPath }
    }

    It 'reports a missing path as PathNotFound' {
        Find-CloudIdSecret -Path (Join-Path $Root 'nope.txt') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,CloudIdentity.Commands.FindCloudIdSecretCommand'
    }

    It 'warns when the archive depth limit is reached' {
        $inner = Join-Path $Root 'inner.zip'; $outer = Join-Path $Root 'outer.zip'
        $stage = Join-Path $Root 'stage'; $null = New-Item -ItemType Directory $stage
        Set-Content (Join-Path $stage 'secret.txt') "token=$T"
        Compress-Archive -Path (Join-Path $stage 'secret.txt') -DestinationPath $inner
        Compress-Archive -Path $inner -DestinationPath $outer
        $f = Find-CloudIdSecret -LiteralPath $outer -MaxArchiveDepth 1 -WarningVariable w -WarningAction SilentlyContinue
        $f | Should -BeNullOrEmpty
        "$w" | Should -Match 'max archive depth reached'
        (Find-CloudIdSecret -LiteralPath $outer).Location | Should -Be "$outer!inner.zip!secret.txt"
    }

    It 'scans the docker save tarball fixture layer by layer' -Skip:(-not $SharedPresent) {
        $r = Find-CloudIdSecret -LiteralPath (Join-Path $Shared 'container-images/alpine-310.docker-save.tar.gz') -ErrorVariable e -WarningAction SilentlyContinue
        $e | Should -BeNullOrEmpty
    }

    It 'pipes files from Get-ChildItem by path' -Skip:(-not $SharedPresent) {
        $f = Get-ChildItem (Join-Path $Shared 'gitleaks/repos/nogit') -Filter *.go | Find-CloudIdSecret
        @($f).Count | Should -Be 2
        $f | ForEach-Object { $_.PatternId | Should -Be 'aws-access-key-id'; $_.Line | Should -Be 20 }
    }
}

Describe 'Find-CloudIdSecret -Verify' {
    BeforeAll {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $probe.Start()
        $script:Port = $probe.LocalEndpoint.Port; $probe.Stop()
        $script:Listener = [System.Net.HttpListener]::new()
        $Listener.Prefixes.Add("http://127.0.0.1:$Port/")
        $Listener.Start()
        # A fake STS speaking the query protocol: one GetCallerIdentity request, answered with the real XML shape.
        $script:Job = Start-ThreadJob -ArgumentList $Listener -ScriptBlock {
            param($listener)
            $ctx = $listener.GetContext()
            $body = [IO.StreamReader]::new($ctx.Request.InputStream).ReadToEnd()
            $ok = $body -match 'Action=GetCallerIdentity' -and $ctx.Request.Headers['Authorization'] -match 'Credential=AKIAS5EOQM3HOJRJEDKT/'
            $xml = if ($ok) {
                '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAQWERTYUIOPASDFGHJ</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>'
            } else { $ctx.Response.StatusCode = 403; '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>invalid</Message></Error><RequestId>1</RequestId></ErrorResponse>' }
            $bytes = [Text.Encoding]::UTF8.GetBytes($xml)
            $ctx.Response.ContentType = 'text/xml'
            $ctx.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $ctx.Response.Close()
        }
    }
    AfterAll { $Listener.Stop(); $Listener.Close(); $Job | Remove-Job -Force -ErrorAction SilentlyContinue }

    It 'says it contacts the provider and marks the key pair Verified' {
        $text = "aws_access_key_id = AKIAS5EOQM3HOJRJEDKT`naws_secret_access_key = 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"
        $f = $text | Find-CloudIdSecret -Verify -VerifyEndpoint "http://127.0.0.1:$Port/" -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match 'contacts the provider'
        $f.Count | Should -Be 2
        $f | ForEach-Object { $_.Verification | Should -Be 'Verified' }
        $f[0].VerificationDetail | Should -Match 'arn:aws:iam::123456789012:user/ci'
    }

    It 'does not verify without -Verify' {
        ("id = AKIAS5EOQM3HOJRJEDKT" | Find-CloudIdSecret).Verification | Should -Be 'NotChecked'
    }
}
