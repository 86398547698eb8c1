BeforeDiscovery { $HasShared = Test-Path (Join-Path $PSScriptRoot '../../../shared/corpus') }

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'Support/LoopbackGraphServer.ps1')
    $script:Shared = Join-Path $PSScriptRoot '../../../shared/corpus'
}

Describe 'Get-CloudIdEntraAuditLog' {
    It 'serves pages built from the real Graph samples' -Skip:(-not $HasShared) {
        $server = New-LoopbackGraphServer
        try {
            $null = Connect-Loopback $server
            $records = [string[]]@('example1', 'example2' | ForEach-Object {
                (Get-Content -Raw (Join-Path $Shared "entra/graph/v1.0_directoryAudits_list_$_.json") | ConvertFrom-Json -DateKind String).value | ForEach-Object { $_ | ConvertTo-Json -Depth 20 -Compress }
            })
            $null = $server.AddCollection('/v1.0/auditLogs/directoryAudits', $records, [int[]]@(1, 0, 1), 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', '@odata.nextLink')
            $server.EnqueueFault([CloudIdentity.Tests.Support.Fault]::Drop('skiptoken=p2'))
            $events = @(Get-CloudIdEntraAuditLog -Category UserManagement -UserPrincipalName 'bob@wingtiptoysonline.com')
            $events.Count | Should -Be 2
            $events[0].Operation | Should -Be 'Add member to group'
            $events[0].LogSource | Should -Be 'azure/auditlogs'
            $events[0].Time | Should -Be ([DateTimeOffset]::new(2018, 1, 9, 21, 20, 2, [TimeSpan]::Zero).AddTicks(7215374))
            ($server.Requests | ForEach-Object Response) -join ',' | Should -Be '200,200,drop,200'
            [uri]::UnescapeDataString($server.Requests[0].Target) | Should -BeLike "*initiatedBy/user/userPrincipalName eq 'bob@wingtiptoysonline.com' and category eq 'UserManagement'*"
        }
        finally { Disconnect-CloudIdAzure; $server.Dispose() }
    }
}
