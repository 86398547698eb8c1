# Shared helpers for the token Pester files (dot-sourced; not a test file itself).

$script:NodePeers = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../node'))
$script:SharedCorpus = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus'))

function Test-JosePeer {
    [bool](Get-Command node -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path $script:NodePeers 'node_modules/jose/package.json'))
}

function Invoke-JoseMint {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    $json = & node (Join-Path $script:NodePeers 'mint.mjs') @Arguments
    if ($LASTEXITCODE -ne 0) { throw "node mint.mjs failed with exit code $LASTEXITCODE" }
    $json | ConvertFrom-Json -Depth 20
}

function ConvertTo-Base64Url([byte[]] $Bytes) {
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function New-TestRsaKey { [System.Security.Cryptography.RSA]::Create(2048) }

function Get-TestJwk([System.Security.Cryptography.RSA] $Rsa, [string] $Kid) {
    $p = $Rsa.ExportParameters($false)
    [ordered]@{ kty = 'RSA'; kid = $Kid; n = (ConvertTo-Base64Url $p.Modulus); e = (ConvertTo-Base64Url $p.Exponent) }
}

function New-TestRs256Token([System.Security.Cryptography.RSA] $Rsa, [hashtable] $Header, [hashtable] $Claims) {
    $h = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes(($Header | ConvertTo-Json -Compress)))
    $c = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes(($Claims | ConvertTo-Json -Compress -Depth 5)))
    $sig = $Rsa.SignData([Text.Encoding]::ASCII.GetBytes("$h.$c"), [System.Security.Cryptography.HashAlgorithmName]::SHA256,
        [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    "$h.$c.$(ConvertTo-Base64Url $sig)"
}

function Get-UnixTime([DateTimeOffset] $Time = [DateTimeOffset]::UtcNow) { $Time.ToUnixTimeSeconds() }

function Set-TokenPayload([string] $Token, [string] $Find, [string] $Replace) {
    # Re-encodes the payload with a change but keeps the original signature: a tampered copy.
    $parts = $Token.Split('.')
    $pad = '=' * ((4 - $parts[1].Length % 4) % 4)
    $json = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($parts[1].Replace('-', '+').Replace('_', '/') + $pad))
    $changed = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($json.Replace($Find, $Replace)))
    "$($parts[0]).$changed.$($parts[2])"
}

function Start-LoopbackIssuer([string] $JwksFile) {
    # node issuer.mjs prints its port; the test stops it by process id.
    $psi = [System.Diagnostics.ProcessStartInfo]::new('node')
    $psi.ArgumentList.Add((Join-Path $script:NodePeers 'issuer.mjs'))
    $psi.ArgumentList.Add($JwksFile)
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $port = $process.StandardOutput.ReadLine()
    [pscustomobject]@{ Process = $process; Issuer = "http://127.0.0.1:$port"; Port = [int]$port }
}

function Stop-LoopbackIssuer($Server) {
    if ($Server -and -not $Server.Process.HasExited) {
        $Server.Process.StandardInput.Close()
        if (-not $Server.Process.WaitForExit(3000)) { Stop-Process -Id $Server.Process.Id -Force }
    }
}
