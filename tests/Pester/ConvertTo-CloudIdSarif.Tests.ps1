BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:T = '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'
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ("cloudid-sarif-" + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path (Join-Path $Root 'cfg')
    Set-Content -Path (Join-Path $Root 'cfg/app.env') -Value "A=1`nTOKEN=$T"
}

AfterAll { Remove-Item -Recurse -Force $Root -ErrorAction SilentlyContinue }

Describe 'ConvertTo-CloudIdSarif' {
    It 'writes a SARIF 2.1.0 log with rules, relative URIs, regions and partial fingerprints' {
        $findings = Find-CloudIdSecret -Path $Root -Recurse
        $json = $findings | ConvertTo-CloudIdSarif -BasePath $Root
        $sarif = $json | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        $sarif.'$schema' | Should -Match 'sarif-2\.1\.0'
        $run = $sarif.runs[0]
        $run.tool.driver.name | Should -Be 'CloudIdentity'
        $run.tool.driver.rules[0].id | Should -Be 'github-token'
        $result = $run.results[0]
        $result.ruleId | Should -Be 'github-token'
        $result.level | Should -Be 'error'
        $result.locations[0].physicalLocation.artifactLocation.uri | Should -Be 'cfg/app.env'
        $result.locations[0].physicalLocation.region.startLine | Should -Be 2
        $result.locations[0].physicalLocation.region.startColumn | Should -Be 7
        $result.partialFingerprints.'cloudIdSecret/v1' | Should -Be $findings[0].Fingerprint
        $json | Should -Not -Match ([regex]::Escape($T))
    }

    It 'writes an empty but valid log for no findings' {
        $sarif = @() | ConvertTo-CloudIdSarif | ConvertFrom-Json
        $sarif.runs[0].results.Count | Should -Be 0
    }

    It 'gives a SARIF file that works as a baseline' {
        $path = Join-Path $Root 'previous.sarif'
        Find-CloudIdSecret -Path $Root -Recurse | ConvertTo-CloudIdSarif | Set-Content $path
        @(Find-CloudIdSecret -Path (Join-Path $Root 'cfg') -Recurse -BaselinePath $path).Count | Should -Be 0
    }
}
