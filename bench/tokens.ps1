<#
.SYNOPSIS
    Validations per second for RS256 and ES256 tokens: Test-CloudIdToken (keys parsed once, as cached keys are),
    the CloudIdentity engine called directly, Microsoft.IdentityModel's JsonWebTokenHandler called directly, and
    jose in node, all on the same jose-minted tokens.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/tokens.ps1 -Iterations 5000
#>
[CmdletBinding()]
param([int] $Iterations = 5000)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$module = Join-Path $root 'out/CloudIdentity/CloudIdentity.psd1'
if (-not (Test-Path $module)) { throw "Build first: dotnet pwsh ./build.ps1 Build" }
$node = Join-Path $root 'tests/node'
if (-not (Test-Path (Join-Path $node 'node_modules/jose'))) { Push-Location $node; try { npm ci --no-audit --no-fund --loglevel=error | Out-Null } finally { Pop-Location } }
Import-Module $module -Force

# The same tokens for everyone, minted by jose.
$issuer = 'https://issuer.example'; $audience = 'api://bench'
$minted = & node (Join-Path $node 'mint.mjs') tokens $issuer $audience | ConvertFrom-Json -Depth 20
$jwks = $minted.jwks | ConvertTo-Json -Depth 10
$algs = 'RS256', 'ES256'
$work = Join-Path ([IO.Path]::GetTempPath()) "cloudid-bench-$PID.json"
@{ jwks = $minted.jwks; issuer = $issuer; audience = $audience; tokens = @{ RS256 = $minted.tokens.RS256; ES256 = $minted.tokens.ES256 } } |
    ConvertTo-Json -Depth 20 | Set-Content $work

# Microsoft.IdentityModel 8.23 and what it needs, from the engine tests' build output (they reference it).
$testBin = Join-Path $root 'tests/CloudIdentity.Engine.Tests/bin/Release/net8.0'
if (-not (Test-Path (Join-Path $testBin 'Microsoft.IdentityModel.JsonWebTokens.dll'))) {
    & dotnet build (Join-Path $root 'tests/CloudIdentity.Engine.Tests') -c Release -v q --nologo | Out-Null
}
$imDlls = @(Get-ChildItem $testBin -Filter 'Microsoft.IdentityModel.*.dll') + @(Get-ChildItem $testBin -Filter 'Microsoft.Bcl.*.dll') | ForEach-Object FullName
$imDlls | ForEach-Object { Add-Type -Path $_ }
# The engine is referenced too: at run time it resolves to the module's copy in its private load context.
$engineDll = Join-Path (Split-Path $module) 'Dependencies/CloudIdentity.Engine.dll'
Add-Type -IgnoreWarnings -CompilerOptions '/nowarn:CS1701' -ReferencedAssemblies ($imDlls + $engineDll + 'System.Runtime', 'System.Collections', 'System.Linq', 'System.Security.Claims', 'System.Text.Json', 'System.Memory') -TypeDefinition @'
using System;
using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
public static class HandlerBench
{
    public static double Run(string token, string jwks, string issuer, string audience, int n)
    {
        var handler = new JsonWebTokenHandler();
        var p = new TokenValidationParameters { ValidIssuer = issuer, ValidAudience = audience, IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys() };
        for (int i = 0; i < 200; i++) Check(handler.ValidateTokenAsync(token, p).GetAwaiter().GetResult());
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) Check(handler.ValidateTokenAsync(token, p).GetAwaiter().GetResult());
        return n / sw.Elapsed.TotalSeconds;
    }
    static void Check(TokenValidationResult r) { if (!r.IsValid) throw r.Exception; }
    public static double RunEngine(string token, string jwks, string issuer, string audience, int n)
    {
        var validator = new CloudIdentity.Engine.Tokens.TokenValidator(
            new CloudIdentity.Engine.Tokens.StaticKeySource(CloudIdentity.Engine.Tokens.SigningKeySet.Parse(jwks, "bench")),
            new CloudIdentity.Engine.Tokens.TokenValidationOptions { Issuers = new[] { issuer }, Audiences = new[] { audience } });
        for (int i = 0; i < 200; i++) if (!validator.Validate(token).IsValid) throw new InvalidOperationException("invalid");
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) if (!validator.Validate(token).IsValid) throw new InvalidOperationException("invalid");
        return n / sw.Elapsed.TotalSeconds;
    }
}
'@

$jose = & node (Join-Path $node 'bench.mjs') $work $Iterations | ConvertFrom-Json
Remove-Item $work

$rows = foreach ($alg in $algs) {
    $token = $minted.tokens.$alg
    $tokens = [string[]]::new($Iterations); [Array]::Fill($tokens, $token)
    $null = $tokens[0..199] | Test-CloudIdToken -Jwks $jwks -Issuer $issuer -Audience $audience -Quiet   # warm up
    $elapsed = Measure-Command { $ok = $tokens | Test-CloudIdToken -Jwks $jwks -Issuer $issuer -Audience $audience -Quiet }
    if ($ok -contains $false) { throw "Test-CloudIdToken rejected the $alg bench token." }
    $cmdlet = $Iterations / $elapsed.TotalSeconds

    $elapsed = Measure-Command { $ok = Test-CloudIdToken -Token $tokens -Jwks $jwks -Issuer $issuer -Audience $audience -Quiet }
    if ($ok -contains $false) { throw "Test-CloudIdToken rejected the $alg bench token." }
    $cmdletArray = $Iterations / $elapsed.TotalSeconds
    $engine = [HandlerBench]::RunEngine($token, $jwks, $issuer, $audience, $Iterations)
    $handler = [HandlerBench]::Run($token, $jwks, $issuer, $audience, $Iterations)
    [pscustomobject]@{
        Algorithm               = $alg
        'Cmdlet, piped /s'      = [Math]::Round($cmdlet)
        'Cmdlet, -Token @() /s' = [Math]::Round($cmdletArray)
        'Engine direct /s'      = [Math]::Round($engine)
        'JsonWebTokenHandler /s' = [Math]::Round($handler)
        'jose (node) /s'        = [Math]::Round($jose.$alg)
        'Handler/piped'         = [Math]::Round($handler / $cmdlet, 2)
        'Handler/array'         = [Math]::Round($handler / $cmdletArray, 2)
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
