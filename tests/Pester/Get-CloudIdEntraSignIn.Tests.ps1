BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'Support/LoopbackGraphServer.ps1')
}

Describe 'Get-CloudIdEntraSignIn' {
    BeforeEach {
        $server = New-LoopbackGraphServer
        $null = Connect-Loopback $server
    }
    AfterEach { Disconnect-CloudIdAzure; $server.Dispose() }

    It 'reads every page through short and empty pages, retrying 429 and 503 on the same page' {
        $records = [string[]](1..25 | ForEach-Object { New-SignInJson ('r{0:D2}' -f $_) })
        $null = $server.AddCollection('/v1.0/auditLogs/signIns', $records, [int[]]@(10, 0, 5, 10), 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', '@odata.nextLink')
        $server.EnqueueFault([CloudIdentity.Tests.Support.Fault]::Status(429, '1', 'skiptoken=p2'))
        $server.EnqueueFault([CloudIdentity.Tests.Support.Fault]::Status(503, '1', 'skiptoken=p2'))
        $events = @(Get-CloudIdEntraSignIn -StartTime '2024-05-01T00:00:00Z' -UserPrincipalName 'u@example.invalid' -Verbose 4>$null)
        $events.Count | Should -Be 25
        @($events.EventId | Sort-Object -Unique).Count | Should -Be 25
        $events[0].GetType().FullName | Should -Be 'CloudIdentity.Engine.Events.CloudIdEvent'
        $events[0].EventType | Should -Be 'interactive'
        $events[0].ApiVersion | Should -Be 'v1.0'
        ($server.Requests | ForEach-Object Response) -join ',' | Should -Be '200,200,429,503,200,200'
        $server.Requests[0].Target | Should -Match '^/v1\.0/auditLogs/signIns\?\$filter=createdDateTime%20ge%202024-05-01T00%3A00%3A00Z%20and%20userPrincipalName%20eq%20%27u%40example.invalid%27'
    }

    It 'queries beta for non-interactive sign-ins' {
        $null = $server.AddCollection('/beta/auditLogs/signIns', [string[]]@((New-SignInJson 'b')), [int[]]@(1), 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', '@odata.nextLink')
        $e = Get-CloudIdEntraSignIn -EventType nonInteractive
        $e.ApiVersion | Should -Be 'beta'
        [uri]::UnescapeDataString($server.Requests[0].Target) | Should -BeLike "*signInEventTypes/any(t: t eq 'nonInteractiveUser')*"
    }

    It 'stops on a pagination loop with the records read so far and a PaginationLoop error' {
        $p = '/v1.0/auditLogs/signIns'
        $base = $server.BaseUri.AbsoluteUri.TrimEnd('/')
        $server.SetRoute($p, '{"value":[' + (New-SignInJson 's1') + ',' + (New-SignInJson 's2') + '],"@odata.nextLink":"' + $base + $p + '?$skiptoken=AAA"}')
        $server.SetRoute("$p`?`$skiptoken=AAA", '{"value":[' + (New-SignInJson 's3') + '],"@odata.nextLink":"' + $base + $p + '?$skiptoken=BBB"}')
        $server.SetRoute("$p`?`$skiptoken=BBB", '{"value":[],"@odata.nextLink":"' + $base + $p + '?$skiptoken=BBB"}')
        $events = @(Get-CloudIdEntraSignIn -ErrorVariable errs -ErrorAction SilentlyContinue)
        $events.Count | Should -Be 3
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'PaginationLoop,CloudIdentity.Commands.Entra.GetCloudIdEntraSignInCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $errs[0].Exception.Message | Should -Match 'partial'
    }

    It 'gives up with a clear error when Retry-After is beyond the bound' {
        $null = $server.AddCollection('/v1.0/auditLogs/signIns', [string[]]@((New-SignInJson 'a')), [int[]]@(1), $null, '@odata.nextLink')
        $server.EnqueueFault([CloudIdentity.Tests.Support.Fault]::Status(429, '600', $null))
        $events = @(Get-CloudIdEntraSignIn -MaxRetryDuration '00:00:30' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $events.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'FetchRetriesExhausted,CloudIdentity.Commands.Entra.GetCloudIdEntraSignInCommand'
        $errs[0].Exception.Message | Should -Match 'asked to wait 600 s'
    }

    It 'pipes into Invoke-CloudIdDetection' {
        $null = $server.AddCollection('/v1.0/auditLogs/signIns', [string[]]@((New-SignInJson 'a')), [int[]]@(1), $null, '@odata.nextLink')
        { Get-CloudIdEntraSignIn | Invoke-CloudIdDetection -ErrorAction Stop } | Should -Not -Throw
    }
}
