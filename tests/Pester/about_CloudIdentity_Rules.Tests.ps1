# Keeps docs/about_CloudIdentity_Rules.md honest: its rule table is the one generated from the rule files, and its
# example rule loads and passes its own samples.
BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:DocPath = Join-Path $Root 'docs/about_CloudIdentity_Rules.md'
    $script:Doc = [System.IO.File]::ReadAllText($DocPath) -replace "`r`n", "`n"
}

Describe 'about_CloudIdentity_Rules' {
    It 'has the rule table generated from the rule files (run ./src/Build/New-RuleReference.ps1 -Update when this fails)' {
        $expected = & (Join-Path $Root 'src/Build/New-RuleReference.ps1')
        $begin = $Doc.IndexOf('<!-- RULE-TABLE:BEGIN', [StringComparison]::Ordinal)
        $endMarker = '<!-- RULE-TABLE:END -->'
        $end = $Doc.IndexOf($endMarker, [StringComparison]::Ordinal)
        $begin | Should -BeGreaterOrEqual 0
        $Doc.Substring($begin, $end + $endMarker.Length - $begin) | Should -Be $expected
    }

    It 'lists every built-in rule of the loaded module' {
        foreach ($rule in Get-CloudIdDetectionRule) {
            $Doc | Should -Match ([regex]::Escape($rule.Id)) -Because $rule.Title
        }
    }

    It 'has an example rule that loads and gives the verdict of each of its samples' {
        $yaml = [regex]::Match($Doc, '(?s)```yaml\n(.*?)```').Groups[1].Value
        $file = Join-Path $TestDrive 'example.yml'
        [System.IO.File]::WriteAllText($file, $yaml)
        $rule = Get-CloudIdDetectionRule -Path $file -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $rule.Title | Should -Be 'Access Key Created for a Break-Glass User'
        $rule.Tests.Count | Should -Be 3
        foreach ($test in $rule.Tests) {
            $rule.Matches($test.Event) | Should -Be $test.ExpectMatch -Because $test.Name
        }
    }
}
