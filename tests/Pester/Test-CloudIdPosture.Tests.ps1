BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ("cloudid-posture-" + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $Root
    $script:Report = @'
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
user-a,arn:aws:iam::111111111111:user/user-a,2024-04-28T09:00:00+00:00,true,no_information,2024-04-28T09:00:01+00:00,N/A,false,true,2024-04-28T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
user-b,arn:aws:iam::111111111111:user/user-b,2023-01-10T09:00:00+00:00,true,no_information,2023-01-10T09:00:01+00:00,N/A,true,true,2023-01-10T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
'@
    Set-Content (Join-Path $Root 'report.csv') $Report
}

AfterAll { Remove-Item -Recurse -Force $Root -ErrorAction SilentlyContinue }

Describe 'Test-CloudIdPosture' {
    It 'evaluates credential report entries at the -AsOf time (BR-13)' {
        $r = $Report | Import-CloudIdCredentialReport | Test-CloudIdPosture -CheckId aws-iam-unused-credentials -AsOf ([DateTimeOffset]'2024-05-01T00:00:00Z')
        ($r | Where-Object Resource -like '*user-a (password)').Status | Should -Be 'Pass'
        ($r | Where-Object Resource -like '*user-b (password)').Status | Should -Be 'Fail'
        ($r | Where-Object Resource -like '*user-b (access_key_1)').Status | Should -Be 'Fail'
        $r[0].ControlId | Should -Be 'CIS AWS 3.0 1.12'
        $r[0].Remediation | Should -Not -BeNullOrEmpty
        $r[0].Status.GetType().IsEnum | Should -BeTrue
    }

    It 'reads exported CLI JSON and a credential report from -Path' {
        @'
{"SecretList":[{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:a-1","Name":"a","CreatedDate":"2024-04-01T00:00:00Z"}]}
'@ | Set-Content (Join-Path $Root 'secrets.json')
        $r = Test-CloudIdPosture -Path (Join-Path $Root '*') -AsOf ([DateTimeOffset]'2024-05-01T00:00:00Z')
        ($r | Where-Object CheckId -eq 'aws-secretsmanager-rotation-enabled').Status | Should -Be 'Fail'
        ($r | Where-Object CheckId -eq 'aws-secretsmanager-policy-public').Status | Should -Be 'Manual'
        ($r | Where-Object CheckId -eq 'aws-iam-access-key-rotation' | Where-Object Resource -like '*user-b*').Status | Should -Be 'Fail'
    }

    It 'duck-types Az Key Vault objects and never passes what it cannot read' {
        $vault = [pscustomobject]@{ VaultName = 'kv1'; ResourceId = '/subscriptions/0/kv1'; EnableSoftDelete = $true; EnablePurgeProtection = $null; EnableRbacAuthorization = $true; PublicNetworkAccess = 'Enabled' }
        $r = $vault | Test-CloudIdPosture -CheckId 'azure-keyvault-*'
        ($r | Where-Object CheckId -eq 'azure-keyvault-soft-delete').Status | Should -Be 'Pass'
        ($r | Where-Object CheckId -eq 'azure-keyvault-purge-protection').Status | Should -Be 'Manual'
        ($r | Where-Object CheckId -eq 'azure-keyvault-public-network').Status | Should -Be 'Fail'
        ($r | Where-Object CheckId -eq 'azure-keyvault-secret-expiry').Status | Should -Be 'Manual'
    }

    It 'duck-types AWS Tools SecretListEntry-like objects with DateTime values' {
        $secret = [pscustomobject]@{
            ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf'; Name = 'db'; RotationEnabled = $true
            RotationRules = [pscustomobject]@{ AutomaticallyAfterDays = 30 }
            LastRotatedDate = [datetime]::new(2024, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
            LastAccessedDate = [datetime]::new(2024, 4, 30, 0, 0, 0, [DateTimeKind]::Utc)
            CreatedDate = [datetime]::new(2023, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
        }
        $r = $secret | Test-CloudIdPosture -CheckId 'aws-secretsmanager-*' -AsOf ([DateTimeOffset]'2024-05-01T00:00:00Z')
        ($r | Where-Object CheckId -eq 'aws-secretsmanager-rotation-enabled').Status | Should -Be 'Pass'
        $late = $r | Where-Object CheckId -eq 'aws-secretsmanager-rotated-on-schedule'
        $late.Status | Should -Be 'Fail'
        $late.Reason | Should -Match '121 days ago, schedule every 30 days'
        ($r | Where-Object CheckId -eq 'aws-secretsmanager-unused').Status | Should -Be 'Pass'
    }

    It 'reports unknown input as PostureInputNotRecognized' {
        [pscustomobject]@{ Foo = 1 } | Test-CloudIdPosture -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'PostureInputNotRecognized,CloudIdentity.Commands.TestCloudIdPostureCommand'
    }
}
