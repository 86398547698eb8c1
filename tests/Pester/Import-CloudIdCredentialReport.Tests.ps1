BeforeDiscovery {
    $SharedPresent = Test-Path ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus')))
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Shared = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/corpus/credreport'))
    $script:Csv = @'
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_2_active,access_key_2_last_rotated,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
user-f,arn:aws:iam::111111111111:user/user-f,2022-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,2022-01-01T00:00:00+00:00,TRUE,2023-06-01T00:00:00+00:00,false,N/A,false,N/A
'@
}

Describe 'Import-CloudIdCredentialReport' {
    It 'reads the real report with dates as dates and no-value markers as nulls' -Skip:(-not $SharedPresent) {
        $rows = Import-CloudIdCredentialReport -Path (Join-Path $Shared 'real/cfech_credential-report.csv')
        $root = $rows | Where-Object User -eq '<root_account>'
        $root.IsRoot | Should -BeTrue
        $root.UserCreationTime | Should -BeOfType [DateTimeOffset]
        $root.UserCreationTime.UtcDateTime | Should -Be ([datetime]::new(2025, 1, 28, 17, 25, 12, [DateTimeKind]::Utc))
        $root.PasswordLastUsed | Should -BeNullOrEmpty
        $root.PasswordLastUsedRaw | Should -Be 'no_information'
        $root.PasswordNextRotation | Should -BeNullOrEmpty
    }

    It 'accepts text lines from the pipeline as Get-IAMCredentialReport -AsTextArray gives them' {
        $rows = $Csv -split "`n" | Import-CloudIdCredentialReport
        $rows.User | Should -Be 'user-f'
        $rows.AccessKey2Active | Should -BeTrue
        $rows.HasKeyUsageColumns | Should -BeFalse
    }

    It 'accepts an object with a Content stream (Get-IAMCredentialReport response)' {
        $response = [pscustomobject]@{ Content = [IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes($Csv)); ReportFormat = 'text/csv' }
        ($response | Import-CloudIdCredentialReport).Arn | Should -Be 'arn:aws:iam::111111111111:user/user-f'
    }

    It 'reports a malformed report as CredentialReportMalformed' {
        "name,value`nx,y" | Import-CloudIdCredentialReport -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'CredentialReportMalformed,CloudIdentity.Commands.ImportCloudIdCredentialReportCommand'
    }

    It 'does not echo the first line of a file that is not a report (it may hold a secret)' {
        $file = Join-Path $TestDrive 'creds.env'
        Set-Content $file "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzREALKEY1`nregion=us-east-1"
        Import-CloudIdCredentialReport -Path $file -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'CredentialReportMalformed,*'
        $e[0].ToString() | Should -Not -Match 'wJalrXUtnFEMI|wjalrxutnfemi|REALKEY1|realkey1'
        $e[0].ToString() | Should -Match "no 'user' column"
    }
}
