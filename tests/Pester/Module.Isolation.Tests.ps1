<#
    Dependency isolation: another module has already loaded an older YamlDotNet into the default load context
    (as Az, Microsoft.Graph or AWS Tools do with their own pins). CloudIdentity must still load its own
    YamlDotNet into its private load context and parse its YAML rules with it.

    Runs in a child pwsh, because the point is what is loaded first in a clean session; YamlDotNet 11.2.1 comes
    from the NuGet global packages folder, restored by tests/Restore/Restore.csproj (build.ps1 Test does that).
#>

BeforeDiscovery {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $detectionCommands = @(Get-Command Get-CloudIdDetectionRule, Invoke-CloudIdDetection -Module CloudIdentity -ErrorAction SilentlyContinue)
    $skipReason = if ($detectionCommands.Count -lt 2) { 'Get-CloudIdDetectionRule and Invoke-CloudIdDetection are not in the module yet: nothing parses YAML' }
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:ModulePath = [System.IO.Path]::GetFullPath($env:CLOUDID_MODULE_PATH)

    function Get-OldYamlDotNetPath {
        $line = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
        Join-Path $line.Trim() 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
    }

    function Invoke-ChildPwsh([string] $Script, [string[]] $Arguments) {
        # The same PowerShell that runs these tests: its apphost, or pwsh.dll through the dotnet host.
        $processPath = [Environment]::ProcessPath
        $command = @(if ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'pwsh') { $processPath } else { $processPath; Join-Path $PSHOME 'pwsh.dll' })
        $scriptPath = Join-Path $TestDrive 'child.ps1'
        Set-Content -Path $scriptPath -Value $Script -Encoding utf8
        $all = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptPath) + $Arguments
        $output = & $command[0] @all 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
    }

    # A CloudTrail file as S3 delivers it: AdministratorAccess attached to a role (the built-in rule
    # 'AdministratorAccess or a Full-Access Inline Policy Granted to an IAM Identity' must fire), and a read-only
    # policy attached to another role (must not).
    $script:Records = @'
{"Records":[
 {"eventVersion":"1.09","eventTime":"2024-05-01T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy",
  "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","eventID":"ev-admin-0001",
  "userIdentity":{"type":"IAMUser","accountId":"111111111111","arn":"arn:aws:iam::111111111111:user/alice","userName":"alice"},
  "requestParameters":{"roleName":"app-role","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},
  "responseElements":null,"eventType":"AwsApiCall","recipientAccountId":"111111111111"},
 {"eventVersion":"1.09","eventTime":"2024-05-01T10:05:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy",
  "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","eventID":"ev-readonly-0002",
  "userIdentity":{"type":"IAMUser","accountId":"111111111111","arn":"arn:aws:iam::111111111111:user/alice","userName":"alice"},
  "requestParameters":{"roleName":"audit-role","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"},
  "responseElements":null,"eventType":"AwsApiCall","recipientAccountId":"111111111111"}
]}
'@

    # Runs in the child: pre-load and use the old YamlDotNet, then import the module and detect; report as JSON.
    $script:ChildScript = @'
param([string] $ModulePath, [string] $OldYamlPath, [string] $LogPath, [string] $RulePath)
$ErrorActionPreference = 'Stop'
Add-Type -Path $OldYamlPath
$stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
$stream.Load([System.IO.StringReader]::new("preloaded: by another module"))

Import-Module $ModulePath
$firstRule = Get-CloudIdDetectionRule | Select-Object -First 1
$builtInFindings = @(Get-CloudIdEvent -Path $LogPath | Invoke-CloudIdDetection)
$fileRules = @(Get-CloudIdDetectionRule -Path $RulePath)
$fileFindings = @(Get-CloudIdEvent -Path $LogPath | Invoke-CloudIdDetection -Rule $fileRules)

$describe = {
    param($assembly)
    $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly)
    [pscustomobject]@{
        Name = $assembly.GetName().Name; Version = $assembly.GetName().Version.ToString(); Location = $assembly.Location
        Context = $context.Name; IsDefaultContext = [object]::ReferenceEquals($context, [System.Runtime.Loader.AssemblyLoadContext]::Default)
    }
}
$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'YamlDotNet', 'CloudIdentity.Engine' }
[pscustomobject]@{
    OldYamlStillWorks = $stream.Documents.Count -eq 1
    FirstRuleId       = $firstRule.Id
    BuiltInFindings   = @($builtInFindings | ForEach-Object { [pscustomobject]@{ RuleId = $_.RuleId; EventId = $_.Event.EventId; Operation = $_.Operation; Actor = $_.Actor } })
    FileRuleIds       = @($fileRules.Id)
    FileFindings      = @($fileFindings | ForEach-Object { [pscustomobject]@{ RuleId = $_.RuleId; EventId = $_.Event.EventId } })
    Assemblies        = @($loaded | ForEach-Object { & $describe $_ })
} | ConvertTo-Json -Depth 5
'@

    # A user's own Sigma rule, parsed from a file at run time (not an embedded resource).
    $script:UserRule = @'
title: Read-only policy attached to a role (isolation test rule)
id: 0d5c1f7e-6a4b-4f0e-9c11-3b2a1d0e9f77
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventSource: iam.amazonaws.com
    eventName: AttachRolePolicy
    requestParameters.policyArn|endswith: ':policy/ReadOnlyAccess'
  condition: selection
level: low
'@
}

Describe 'Dependency isolation (an older YamlDotNet loaded first)' {
    It 'loads its own YamlDotNet privately and still detects' -ForEach @(@{ SkipReason = $skipReason }) {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $oldYaml = Get-OldYamlDotNetPath
        $oldYaml | Should -Exist -Because 'tests/Restore/Restore.csproj downloads YamlDotNet 11.2.1 (run ./build.ps1 Test)'
        $logPath = Join-Path $TestDrive 'attach-policy.json'
        $rulePath = Join-Path $TestDrive 'readonly_policy_attached.yml'
        Set-Content -Path $logPath -Value $Records -Encoding utf8
        Set-Content -Path $rulePath -Value $UserRule -Encoding utf8

        $run = Invoke-ChildPwsh $ChildScript @('-ModulePath', $ModulePath, '-OldYamlPath', $oldYaml, '-LogPath', $logPath, '-RulePath', $rulePath)
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $result = $run.Output.Substring($run.Output.IndexOf('{')) | ConvertFrom-Json

        # The other module's YamlDotNet keeps working.
        $result.OldYamlStillWorks | Should -BeTrue

        # Both versions are loaded: the old one in the default context, ours (the one shipped in Dependencies/)
        # beside the engine in the module's private context.
        $shipped = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $ModulePath) 'Dependencies/YamlDotNet.dll')).Version.ToString()
        $yaml = @($result.Assemblies | Where-Object Name -eq 'YamlDotNet')
        $yaml.Count | Should -Be 2
        $old = $yaml | Where-Object Version -like '11.*'
        $old | Should -Not -BeNullOrEmpty
        $old.IsDefaultContext | Should -BeTrue
        $ours = $yaml | Where-Object Version -eq $shipped
        $ours | Should -Not -BeNullOrEmpty -Because "the module ships YamlDotNet $shipped"
        $ours.IsDefaultContext | Should -BeFalse
        $ours.Context | Should -Be 'CloudIdentity'
        $ours.Location | Should -BeLike '*Dependencies*YamlDotNet.dll'
        $engine = $result.Assemblies | Where-Object Name -eq 'CloudIdentity.Engine'
        $engine.IsDefaultContext | Should -BeFalse
        $engine.Context | Should -Be 'CloudIdentity'

        # The built-in rules were parsed and the expected finding produced, only for the AdministratorAccess event.
        $result.FirstRuleId | Should -Not -BeNullOrEmpty
        $admin = @($result.BuiltInFindings | Where-Object RuleId -eq '7f3c6a0e-2d41-4b8e-9a5c-1e0b6f4d2a11')
        $admin.Count | Should -Be 1
        $admin[0].EventId | Should -Be 'ev-admin-0001'
        $admin[0].Operation | Should -Be 'AttachRolePolicy'
        $admin[0].Actor | Should -Be 'arn:aws:iam::111111111111:user/alice'
        @($result.BuiltInFindings | Where-Object EventId -eq 'ev-readonly-0002') | Should -BeNullOrEmpty

        # A rule file parsed at run time works the same way.
        $result.FileRuleIds | Should -Be @('0d5c1f7e-6a4b-4f0e-9c11-3b2a1d0e9f77')
        @($result.FileFindings).Count | Should -Be 1
        $result.FileFindings[0].EventId | Should -Be 'ev-readonly-0002'
    }
}
