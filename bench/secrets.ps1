<#
.SYNOPSIS
    Secret-scanning throughput: Find-CloudIdSecret vs ripgrep (same pattern set) vs secretlint, on a generated tree.
.DESCRIPTION
    Generates a tree under out/bench/secrets-tree (source files, logs, a zip and a tar.gz of the sources, and one
    docker-save image tarball), then times:
      - Find-CloudIdSecret -Recurse over the tree (archives and the image are opened);
      - ripgrep -P with the catalog's regexes (read from the pattern YAML), over the same tree (archives unopened);
      - secretlint with its recommended preset (npm, installed into out/bench/node by this script).
    ripgrep comes from the Debian package `ripgrep`, installed with apt-get when missing (needs root).
    Prints MB/s for each and the ratio to ripgrep. Not a unit test.
.PARAMETER SizeMB
    Approximate size of the generated tree.
#>
[CmdletBinding()]
param(
    [int] $SizeMB = 64,
    [switch] $SkipSecretlint,
    [switch] $Regenerate
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$Root = Split-Path $PSScriptRoot
$BenchDir = Join-Path $Root 'out/bench'
$Tree = Join-Path $BenchDir 'secrets-tree'
$Module = Join-Path $Root 'out/CloudIdentity/CloudIdentity.psd1'
if (-not (Test-Path $Module)) { throw "Build first: dotnet pwsh ./build.ps1 Build" }

function New-BenchTree {
    if (Test-Path $Tree) { Remove-Item -Recurse -Force $Tree }
    $src = New-Item -ItemType Directory (Join-Path $Tree 'src') -Force
    $logs = New-Item -ItemType Directory (Join-Path $Tree 'logs') -Force
    $rand = [Random]::new(42)
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    function Get-RandomText([int] $n) { -join (1..$n | ForEach-Object { $alphabet[$rand.Next($alphabet.Length)] }) }
    # A fake secret roughly every 200 files; the rest is ordinary code.
    $code = @'
using System;
namespace Sample.App {
    public sealed class Service#N# {
        private readonly string _name = "service-#N#";
        public int Compute(int a, int b) => a * b + #N#;
        public string Describe() => $"{_name} computes things; token handling lives in the vault client.";
        // password policy: minimum 12 characters, see docs/security.md
    }
}
'@
    $target = $SizeMB * 1MB
    $sourceBytes = [long]($target * 0.30)
    $written = 0L; $i = 0
    while ($written -lt $sourceBytes) {
        $text = ($code -replace '#N#', $i) * 20
        if ($i % 200 -eq 7) { $text += "`nconst string AwsKey = `"AKIA$((Get-RandomText 16).ToUpperInvariant() -replace '[^A-Z2-7]', 'Q')`";`n" }
        $path = Join-Path $src ("Service$i.cs")
        [IO.File]::WriteAllText($path, $text)
        $written += $text.Length; $i++
    }
    $line = '2026-12-03T10:15:30.123Z INFO  request id=#N# user=app path=/api/v1/items status=200 bytes=5120 latency_ms=12 agent="curl/8.5"'
    $logBytes = [long]($target * 0.45)
    $perFile = 8MB; $n = 0
    while ($n * $perFile -lt $logBytes) {
        $sb = [Text.StringBuilder]::new()
        $k = 0
        while ($sb.Length -lt $perFile) { [void]$sb.AppendLine(($line -replace '#N#', ($n * 1000000 + $k))); $k++ }
        [void]$sb.AppendLine("2026-12-03T10:16:00Z WARN leaked DATABASE_URL=postgres://app:$(Get-RandomText 14)@db.internal:5432/app")
        [IO.File]::WriteAllText((Join-Path $logs "app$n.log"), $sb.ToString())
        $n++
    }
    $arch = New-Item -ItemType Directory (Join-Path $Tree 'archives') -Force
    Compress-Archive -Path (Join-Path $src '*') -DestinationPath (Join-Path $arch 'src.zip') -CompressionLevel Fastest
    & tar -czf (Join-Path $arch 'logs.tar.gz') -C $Tree logs
    # One docker-save image tarball: a layer with the source tree and a config with an environment variable.
    $img = New-Item -ItemType Directory (Join-Path $BenchDir 'image-staging') -Force
    & tar -cf (Join-Path $img 'layer.tar') -C $Tree src
    $layerHash = (Get-FileHash (Join-Path $img 'layer.tar') -Algorithm SHA256).Hash.ToLowerInvariant()
    $null = New-Item -ItemType Directory (Join-Path $img $layerHash) -Force
    Move-Item (Join-Path $img 'layer.tar') (Join-Path $img "$layerHash/layer.tar")
    $config = '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin","GITHUB_TOKEN=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"]},"history":[{"created_by":"ADD src /src"}]}'
    $configHash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($config))).ToLowerInvariant()
    Set-Content (Join-Path $img "$configHash.json") $config -NoNewline
    Set-Content (Join-Path $img 'manifest.json') "[{`"Config`":`"$configHash.json`",`"RepoTags`":[`"bench/app:1`"],`"Layers`":[`"$layerHash/layer.tar`"]}]" -NoNewline
    & tar -cf (Join-Path $Tree 'image.tar') -C $img manifest.json "$configHash.json" $layerHash
    Remove-Item -Recurse -Force $img
    Set-Content (Join-Path $BenchDir 'secrets-tree.complete') $SizeMB
}

if ($Regenerate -or -not (Test-Path (Join-Path $BenchDir 'secrets-tree.complete'))) { Write-Information "Generating ~$SizeMB MB tree at $Tree" -InformationAction Continue; New-BenchTree }
$bytes = (Get-ChildItem $Tree -Recurse -File | Measure-Object Length -Sum).Sum
if (-not $bytes) { throw "The bench tree at $Tree is empty: run with -Regenerate." }
$files = (Get-ChildItem $Tree -Recurse -File).Count
$mb = $bytes / 1MB
Write-Information ("Tree: {0:N1} MB in {1} files" -f $mb, $files) -InformationAction Continue

# --- CloudIdentity (in a fresh process, module import excluded from the time)
$pwsh = Join-Path $PSHOME 'pwsh'; if (-not (Test-Path $pwsh)) { $pwsh = 'pwsh' }
$script = @"
Import-Module '$Module'
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$n = @(Find-CloudIdSecret -Path '$Tree' -Recurse -WarningAction SilentlyContinue).Count
`$sw.Stop()
"`$n `$(`$sw.Elapsed.TotalSeconds)"
"@
$out = if (Test-Path (Join-Path $PSHOME 'pwsh')) { & $pwsh -NoProfile -Command $script } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -Command $script }
$cloudFindings, $cloudSeconds = ($out | Select-Object -Last 1) -split ' '
$cloudSeconds = [double]$cloudSeconds

# --- ripgrep with the same regexes (PCRE2 for named groups and look-behind)
$rg = Get-Command rg -ErrorAction SilentlyContinue
if (-not $rg) {
    Write-Information 'ripgrep not found: installing the Debian package ripgrep' -InformationAction Continue
    & apt-get install -y -qq ripgrep | Out-Null
    if ($LASTEXITCODE -ne 0) { & apt-get update -qq | Out-Null; & apt-get install -y -qq ripgrep | Out-Null }
    $rg = Get-Command rg -ErrorAction Stop
}
$patternFile = Join-Path $BenchDir 'rg-patterns.txt'
$raw = Get-ChildItem (Join-Path $Root 'src/CloudIdentity.Engine/Secrets/Patterns') -Filter *.yml | Get-Content |
    Where-Object { $_ -match "^\s+regex: '(.*)'\s*$" } | ForEach-Object { $Matches[1] -replace "''", "'" }
# ripgrep joins the -f patterns into one PCRE2 regex, where a group name may appear once: drop the "secret" names
# (no back-references use them) and number the others per pattern.
$i = 0
$patterns = foreach ($p in $raw) {
    $i++
    # PCRE2's compiled-size limit: long bounded repeats ({63,12000}) become open-ended.
    $p = $p -replace '\(\?<secret>', '(' -replace '\{(\d+),\d{4,}\}', '{$1,}'
    $p -replace '\(\?<(\w+)>', "(?<`${1}$i>" -replace '\\k<(\w+)>', "\k<`${1}$i>"
}
Set-Content $patternFile $patterns
$sw = [Diagnostics.Stopwatch]::StartNew()
$rgOut = & $rg.Source -P --no-ignore --hidden -a -c -f $patternFile $Tree 2>&1
if ($LASTEXITCODE -gt 1) { throw "ripgrep failed: $rgOut" }
$rgCount = @($rgOut).Count
$sw.Stop(); $rgSeconds = $sw.Elapsed.TotalSeconds

# --- secretlint (npm, bench-local)
$slSeconds = $null
if (-not $SkipSecretlint -and (Get-Command npm -ErrorAction SilentlyContinue)) {
    $nodeDir = Join-Path $BenchDir 'node'
    if (-not (Test-Path (Join-Path $nodeDir 'node_modules/.bin/secretlint'))) {
        $null = New-Item -ItemType Directory $nodeDir -Force
        & npm install --prefix $nodeDir --no-audit --no-fund --loglevel=error secretlint@13.0.6 '@secretlint/secretlint-rule-preset-recommend@13.0.7' | Out-Null
    }
    Set-Content (Join-Path $nodeDir '.secretlintrc.json') '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}'
    # secretlint resolves its glob against the working folder.
    Push-Location $Tree
    try {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & (Join-Path $nodeDir 'node_modules/.bin/secretlint') --secretlintrc (Join-Path $nodeDir '.secretlintrc.json') --format json --output (Join-Path $BenchDir 'secretlint.json') '**/*' 2>$null | Out-Null
        $sw.Stop(); $slSeconds = $sw.Elapsed.TotalSeconds
    } finally { Pop-Location }
    $slReport = Get-Content -Raw (Join-Path $BenchDir 'secretlint.json') | ConvertFrom-Json
    $slFindings = @($slReport | ForEach-Object { $_.messages }).Count
}

$rows = @(
    [pscustomobject]@{ Tool = 'Find-CloudIdSecret'; Seconds = [math]::Round($cloudSeconds, 2); MBps = [math]::Round($mb / $cloudSeconds, 1); Note = "$cloudFindings findings; archives and image opened" }
    [pscustomobject]@{ Tool = "ripgrep -P ($($patterns.Count) patterns)"; Seconds = [math]::Round($rgSeconds, 2); MBps = [math]::Round($mb / $rgSeconds, 1); Note = "$rgCount files matched; archives not opened" }
    if ($slSeconds) { [pscustomobject]@{ Tool = 'secretlint (recommended preset)'; Seconds = [math]::Round($slSeconds, 2); MBps = [math]::Round($mb / $slSeconds, 1); Note = "$slFindings findings; archives not opened" } }
)
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Output
"Find-CloudIdSecret time / ripgrep time: {0:N2} (goal: at most 2)" -f ($cloudSeconds / $rgSeconds)
