@{
    RootModule           = 'CloudIdentity.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f6a52-8c1e-4c57-9a43-2f0d7d1c9e61'
    Author               = 'CloudIdentity contributors'
    CompanyName          = 'CloudIdentity'
    Copyright            = '(c) CloudIdentity contributors. MIT License.'
    Description          = 'Cloud identity threat detection and response for administrators: normalized CloudTrail and Entra logs, Sigma detections, token validation, secret scanning and response.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('CloudIdentity.format.ps1xml', 'CloudIdentity.Entra.format.ps1xml', 'CloudIdentity.Detection.format.ps1xml')
    CmdletsToExport      = @(
        'Get-CloudIdEvent'
        'Invoke-CloudIdDetection'
        'Get-CloudIdDetectionRule'
        'Connect-CloudIdAzure'
        'Disconnect-CloudIdAzure'
        'Get-CloudIdEntraSignIn'
        'Get-CloudIdEntraAuditLog'
        'Get-CloudIdAzureActivityLog'
        'Test-CloudIdDetectionRule'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Security', 'CloudTrail', 'EntraID', 'Sigma', 'Detection', 'Identity', 'AWS', 'Azure')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
