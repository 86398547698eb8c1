# Loads the loopback Graph/ARM server shared with the xunit tests (tests/Shared/LoopbackGraphServer.cs).
if (-not ('CloudIdentity.Tests.Support.LoopbackGraphServer' -as [type])) {
    Add-Type -Path (Join-Path $PSScriptRoot '../../Shared/LoopbackGraphServer.cs') -ReferencedAssemblies System.Net.Primitives, System.Net.Sockets, System.Collections.Concurrent, System.Linq, System.Collections, System.Threading, System.Threading.Tasks, System.Runtime, Microsoft.Win32.Primitives, System.ComponentModel.Primitives
}
function New-LoopbackGraphServer {
    $server = [CloudIdentity.Tests.Support.LoopbackGraphServer]::new()
    $server.ExpectedToken = 'pester-token'
    $server.Start()
}
function New-SignInJson([string] $Id, [string] $Time = '2024-05-01T10:00:00Z') {
    '{"id":"' + $Id + '","createdDateTime":"' + $Time + '","userPrincipalName":"u@example.invalid","ipAddress":"198.51.100.1","status":{"errorCode":0},"isInteractive":true}'
}
function Connect-Loopback($Server) {
    $token = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
    Connect-CloudIdAzure -AccessToken $token -TenantId 'tenant-1' -GraphEndpoint $Server.BaseUri -ResourceManagerEndpoint $Server.BaseUri
}
