BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot 'Support/LoopbackGraphServer.ps1')
}

Describe 'Connect-CloudIdAzure' {
    It 'connects with an access token and never shows it' {
        # header.payload.signature with tid/appid/exp claims (unsigned; the module does not validate the user's own token)
        $payload = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"tid":"t-123","appid":"a-456","aud":"https://graph.microsoft.com","exp":4102444800}')).TrimEnd('=').Replace('+', '-').Replace('/', '_')
        $jwt = "eyJhbGciOiJub25lIn0.$payload.c2lnbmF0dXJlLXNlY3JldA"
        $info = Connect-CloudIdAzure -AccessToken (ConvertTo-SecureString $jwt -AsPlainText -Force) -Verbose 4>&1
        $connection = $info | Where-Object { $_ -is [CloudIdentity.Commands.Entra.AzureConnectionInfo] }
        $connection.Method | Should -Be 'AccessToken'
        $connection.TenantId | Should -Be 't-123'
        $connection.ClientId | Should -Be 'a-456'
        $connection.Environment | Should -Be 'AzureCloud'
        $connection.TokenExpiresOn | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(4102444800))
        ($info | Out-String) + ($connection | Format-List * | Out-String) | Should -Not -Match 'c2lnbmF0dXJlLXNlY3JldA'
    }

    It 'selects national cloud endpoints' {
        $c = Connect-CloudIdAzure -AccessToken (ConvertTo-SecureString 'x.y.z' -AsPlainText -Force) -Environment AzureUSGovernment
        $c.GraphEndpoint | Should -Be 'https://graph.microsoft.us/'
        $c.ResourceManagerEndpoint | Should -Be 'https://management.usgovcloudapi.net/'
    }

    It 'fails a client-secret sign-in without showing the secret' {
        $secret = ConvertTo-SecureString 'Sup3r-Secret-Value~123' -AsPlainText -Force
        # A malformed tenant makes Azure.Identity refuse before any network call: fast and offline.
        { Connect-CloudIdAzure -TenantId 'not a tenant/' -ClientId 'app' -ClientSecret $secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'AzureSignInInvalidArgument,CloudIdentity.Commands.Entra.ConnectCloudIdAzureCommand' -PassThru |
            ForEach-Object { $_.Exception.Message | Should -Not -Match 'Sup3r-Secret' }
    }

    It 'overrides the Graph endpoint for a loopback server' {
        $server = New-LoopbackGraphServer
        try {
            $c = Connect-Loopback $server
            $c.GraphEndpoint | Should -Be $server.BaseUri
        }
        finally { $server.Dispose() }
    }
}
