BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'Support/LoopbackGraphServer.ps1')
}

Describe 'Get-CloudIdAzureActivityLog' {
    It 'reads the ARM Activity Log with nextLink, REST status vocabulary mapped' {
        $server = New-LoopbackGraphServer
        try {
            $null = Connect-Loopback $server
            $record = '{"eventTimestamp":"2024-05-01T10:00:02Z","correlationId":"c1","resourceId":"/subscriptions/sub-1/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/KV","operationName":{"value":"Microsoft.KeyVault/vaults/write"},"category":{"value":"Administrative"},"status":{"value":"Succeeded"},"caller":"user@example.invalid"}'
            $path = '/subscriptions/sub-1/providers/Microsoft.Insights/eventtypes/management/values'
            $null = $server.AddCollection($path, [string[]]@($record, $record, $record), [int[]]@(1, 0, 2), $null, 'nextLink')
            $server.EnqueueFault([CloudIdentity.Tests.Support.Fault]::Status(429, 'Wed, 01 Jan 2020 00:00:00 GMT', 'skiptoken=p1'))
            $events = @('sub-1' | Get-CloudIdAzureActivityLog -StartTime '2024-05-01T00:00:00Z' -EndTime '2024-05-02T00:00:00Z')
            $events.Count | Should -Be 3
            $events[0].Operation | Should -Be 'microsoft.keyvault/vaults/write'
            $events[0].Status | Should -Be 'Succeeded'
            $events[0].ResourceId | Should -Be '/subscriptions/sub-1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv'
            ($server.Requests | ForEach-Object Response) -join ',' | Should -Be '200,429,200,200'
            $server.Requests[0].Target | Should -Match 'api-version=2015-04-01'
        }
        finally { Disconnect-CloudIdAzure; $server.Dispose() }
    }

    It 'refuses a start after the end' {
        $server = New-LoopbackGraphServer
        try {
            $null = Connect-Loopback $server
            { Get-CloudIdAzureActivityLog -SubscriptionId s -StartTime '2024-05-02' -EndTime '2024-05-01' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidTimeRange,CloudIdentity.Commands.Entra.GetCloudIdAzureActivityLogCommand'
        }
        finally { Disconnect-CloudIdAzure; $server.Dispose() }
    }
}
