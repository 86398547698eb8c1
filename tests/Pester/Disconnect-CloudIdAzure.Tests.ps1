BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'Support/LoopbackGraphServer.ps1')
}

Describe 'Disconnect-CloudIdAzure' {
    It 'ends the connection; fetches then fail with AzureNotConnected' {
        $server = New-LoopbackGraphServer
        try {
            $null = Connect-Loopback $server
            Disconnect-CloudIdAzure -WhatIf
            $null = $server.AddCollection('/v1.0/auditLogs/signIns', [string[]]@((New-SignInJson 'a')), [int[]]@(1), $null, '@odata.nextLink')
            @(Get-CloudIdEntraSignIn).Count | Should -Be 1
            Disconnect-CloudIdAzure
            { Get-CloudIdEntraSignIn -ErrorAction Stop } | Should -Throw -ErrorId 'AzureNotConnected,CloudIdentity.Commands.Entra.GetCloudIdEntraSignInCommand'
        }
        finally { $server.Dispose() }
    }

    It 'does nothing without a connection' {
        { Disconnect-CloudIdAzure; Disconnect-CloudIdAzure } | Should -Not -Throw
    }
}
