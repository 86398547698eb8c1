BeforeDiscovery {
    # The case tables are built at discovery time; corpus tests skip themselves (with the reason) at run time when
    # ../shared is absent.
    # Rule titles, named once so the tables below stay readable.
    $T = @{
        AdminPolicy        = 'AdministratorAccess or a Full-Access Inline Policy Granted to an IAM Identity'
        AccessKeyOther     = 'Access Key Created for Another IAM User'
        LoginProfileOther  = 'Console Password Created or Changed for Another IAM User'
        ConsoleNoMfa       = 'Console Login Without MFA by an IAM User or Root'
        RootConsole        = 'Root Account Console Login'
        RootApi            = 'Root Account API Activity'
        TrailStopped       = 'CloudTrail Trail Stopped or Deleted'
        SelectorsNarrowed  = 'CloudTrail Event Selectors Narrowed to Exclude Management Events'
        TrailWeakened      = 'CloudTrail Trail Updated to Reduce Coverage or Redirect Delivery'
        TrustChanged       = 'Trust Policy of an IAM Role Changed'
        TrustExternal      = 'IAM Role Trust Policy Grants Access to an External AWS Account'
        FederationToken    = 'STS Federation Token Requested with Long-Term Credentials'
        FederationFull     = 'STS Federation Token Requested with a Full-Access Session Policy'
        TrustAnchor        = 'IAM Roles Anywhere Trust Anchor Created or Its Certificate Source Changed'
        SecretsBatch       = 'Secrets Manager Secrets Retrieved in Bulk (BatchGetSecretValue)'
        SecretReadByUser   = 'Secret Value Read with Long-Term IAM User Credentials'
        SsmDecrypted       = 'SSM SecureString Parameters Decrypted with Long-Term IAM User Credentials'
        PasswordData       = 'EC2 Windows Administrator Password Data Requested'
        LeaveOrg           = 'Account Attempted to Leave its AWS Organization'
        FlowLogsDeleted    = 'VPC Flow Logs Deleted'
        MfaRemoved         = 'MFA Device Deactivated or Deleted for an IAM User'
        PolicyRollback     = 'Default Version of a Managed IAM Policy Changed (Policy Rollback)'
        AccessDeniedBurst  = 'Burst of Access Denied Errors Across Many AWS APIs From One Principal'
        UserPrivEscThenUse = 'IAM User Granted New Permissions Then Uses a Privileged API'
    }

    # Every Stratus Red Team detonation log in the corpus, with the exact findings the built-in pack raises on it
    # (rule title = number of findings). An empty table means nothing may fire.
    $StratusCases = @(
        @{ File = 'aws.credential-access.ec2-get-password-data.json'; Expected = @{ $T.PasswordData = 30 } }
        @{ File = 'aws.credential-access.ec2-steal-instance-credentials.json'; Expected = @{} }
        @{ File = 'aws.credential-access.secretsmanager-retrieve-secrets.json'; Expected = @{ $T.SecretReadByUser = 20 } }
        @{ File = 'aws.credential-access.ssm-retrieve-securestring-parameters.json'; Expected = @{ $T.SsmDecrypted = 5 } }
        @{ File = 'aws.defense-evasion.cloudtrail-event-selectors.json'; Expected = @{ $T.SelectorsNarrowed = 1 } }
        @{ File = 'aws.defense-evasion.cloudtrail-stop.json'; Expected = @{ $T.TrailStopped = 1 } }
        @{ File = 'aws.defense-evasion.organizations-leave.json'; Expected = @{ $T.LeaveOrg = 1 } }
        @{ File = 'aws.defense-evasion.vpc-remove-flow-logs.json'; Expected = @{ $T.FlowLogsDeleted = 1 } }
        @{ File = 'aws.execution.ec2-launch-unusual-instances.json'; Expected = @{} }
        @{ File = 'aws.execution.ec2-user-data.json'; Expected = @{} }
        @{ File = 'aws.execution.ssm-start-session.json'; Expected = @{} }
        @{ File = 'aws.exfiltration.ec2-security-group-open-port-22-ingress.json'; Expected = @{} }
        @{ File = 'aws.exfiltration.ec2-share-ebs-snapshot.json'; Expected = @{} }
        @{ File = 'aws.exfiltration.rds-share-snapshot.json'; Expected = @{} }
        @{ File = 'aws.initial-access.console-login-without-mfa.json'; Expected = @{ $T.ConsoleNoMfa = 1 } }
        @{ File = 'aws.lateral-movement.ec2-instance-connect.json'; Expected = @{} }
        @{ File = 'aws.persistence.iam-backdoor-role.json'; Expected = @{ $T.TrustChanged = 1; $T.TrustExternal = 1 } }
        @{ File = 'aws.persistence.iam-backdoor-user.json'; Expected = @{ $T.AccessKeyOther = 1 } }
        @{ File = 'aws.persistence.iam-create-backdoor-role.json'; Expected = @{ $T.AdminPolicy = 1; $T.TrustExternal = 1 } }
        @{ File = 'aws.persistence.iam-create-user-login-profile.json'; Expected = @{ $T.LoginProfileOther = 1 } }
        @{ File = 'aws.persistence.lambda-layer-extension.json'; Expected = @{} }
        @{ File = 'aws.persistence.lambda-overwrite-code.json'; Expected = @{} }
        @{ File = 'aws.persistence.sts-federation-token.json'; Expected = @{ $T.FederationToken = 1; $T.FederationFull = 1 } }
        @{ File = 'aws.privilege-escalation.iam-update-user-login-profile.json'; Expected = @{ $T.LoginProfileOther = 1 } }
    )

    # Other real CloudTrail files of the corpus (paths under shared/corpus/cloudtrail).
    $CorpusCases = @(
        @{ File = 'elastic/test-assume-role-email-session-json.log'; Expected = @{} }
        @{ File = 'elastic/test-attach-role-policy-json.log'; Expected = @{} }  # SecurityAudit, not admin
        @{ File = 'elastic/test-cloudtrail-digest-json.log'; Expected = @{} }
        @{ File = 'elastic/test-console-login-json.log'; Expected = @{ $T.ConsoleNoMfa = 1 } }  # the two failures do not count
        @{ File = 'elastic/test-create-trust-anchor-json.log'; Expected = @{ $T.TrustAnchor = 1 } }
        @{ File = 'elastic/test-get-password-data-json.log'; Expected = @{ $T.PasswordData = 1 } }
        @{ File = 'elastic/test-get-secret-value-json.log'; Expected = @{ $T.SecretReadByUser = 1 } }
        @{ File = 'elastic/test-tls-details-json.log'; Expected = @{} }
        @{ File = 'elastic/test-update-assume-role-policy-json.log'; Expected = @{ $T.TrustChanged = 1 } }  # trusts its own account
        @{ File = 'elastic/test-update-trail-json.log'; Expected = @{ $T.TrailWeakened = 1 } }  # the TrailNotFound failure does not count
        @{ File = 'elastic/test-us-gov-arn.log'; Expected = @{} }
        @{ File = 'elastic/test-user-authentication.log'; Expected = @{} }
        @{ File = 'otel/cloudtrail_log.json'; Expected = @{} }  # Identity Center sign-in with MFA, failed UpdateTrail
        @{ File = 'otel/cloudtrail_log_cw.json'; Expected = @{} }
        @{ File = 'loki/cloudtrail-log-file.json.gz'; Expected = @{} }
        @{ File = 'lookup-and-lake/lookup_events_awscli_example.json'; Expected = @{} }
        @{ File = 'otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json'; Expected = @{} }
        @{ File = '../ocsf/examples/markdown/AWS/v1.1.0/CloudTrail/Authentication/samples/authentication.raw'; Expected = @{} }  # sign-in with MFA
        @{ File = '../ocsf/examples/markdown/AWS/v1.1.0/CloudTrail/Account_Change/samples/account_change.raw'; Expected = @{} }
        @{ File = '../ocsf/examples/markdown/AWS/v1.1.0/CloudTrail/API_Activity/samples/generic_api_activity.raw'; Expected = @{} }
    )
    foreach ($case in $StratusCases + $CorpusCases) {
        $case.Summary = if ($case.Expected.Count) { ($case.Expected.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Value) x $($_.Key)" }) -join ', ' } else { 'nothing' }
    }
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:SharedCloudTrail = Join-Path $Root '../shared/corpus/cloudtrail'
    $script:Stratus = Join-Path $SharedCloudTrail 'stratus-red-team'
    $script:Story = Join-Path $Root 'samples/attack-story'
    $script:HasShared = Test-Path $SharedCloudTrail
    $script:NoShared = '../shared/corpus is absent (a user clone without the shared test corpus); corpus tests skipped.'

    # Findings summarised as sorted "title=count" lines, so a failure shows the whole difference.
    function Get-FindingSummary([object[]] $Findings) {
        @($Findings | Group-Object RuleTitle | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count })
    }
    function ConvertTo-ExpectedSummary([hashtable] $Expected) {
        @($Expected.GetEnumerator() | Sort-Object Key | ForEach-Object { '{0}={1}' -f $_.Key, $_.Value })
    }
}

Describe 'Invoke-CloudIdDetection' {
    Context 'Built-in rule pack' {
        It 'loads every built-in rule, each with an id, a level and ATT&CK techniques' {
            $rules = @(Get-CloudIdDetectionRule -WarningVariable warnings)
            $warnings | Should -BeNullOrEmpty
            $rules.Count | Should -BeGreaterOrEqual 20
            ($rules.Id | Sort-Object -Unique).Count | Should -Be $rules.Count
            $rules | Where-Object { -not $_.Techniques -or -not $_.FalsePositives -or -not $_.Description } | Should -BeNullOrEmpty
        }

        It 'names every rule title used in this file' {
            $titles = @(Get-CloudIdDetectionRule).Title
            foreach ($title in $T.Values) { $titles | Should -Contain $title }
        } -ForEach @{ T = $T }
    }

    Context 'Findings on the bundled attack story' {
        It 'raises the expected findings, and nothing on the benign calls around them' {
            $findings = @(Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection)
            $findings.Count | Should -Be 22
            (Get-FindingSummary $findings) -join "`n" | Should -Be ((ConvertTo-ExpectedSummary @{
                    $T.AccessDeniedBurst = 1; $T.UserPrivEscThenUse = 1; $T.AccessKeyOther = 1; $T.LoginProfileOther = 1; $T.AdminPolicy = 2; $T.PolicyRollback = 1
                    $T.ConsoleNoMfa = 1; $T.SelectorsNarrowed = 1; $T.TrailStopped = 1; $T.MfaRemoved = 2
                    $T.TrustChanged = 1; $T.TrustExternal = 1; $T.TrustAnchor = 1; $T.SecretsBatch = 1
                    $T.SecretReadByUser = 4; $T.FederationToken = 1; $T.FederationFull = 1
                }) -join "`n")
        } -ForEach @{ T = $T }

        It 'carries the rule, the actor and the evidence event on each finding' {
            $f = Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection | Where-Object Operation -eq 'StopLogging'
            $f.GetType().FullName | Should -Be 'CloudIdentity.Engine.Detection.Finding'
            $f.RuleTitle | Should -Be 'CloudTrail Trail Stopped or Deleted'
            $f.RuleId | Should -Be '2d1052fb-5fac-43e6-81c6-3f2a6bb13110'
            "$($f.Severity)" | Should -Be 'High'
            $f.Techniques | Should -Be @('T1562.008')
            $f.Tactics | Should -Be @('defense-evasion')
            $f.AccountId | Should -Be '111122223333'
            $f.Region | Should -Be 'us-east-1'
            $f.Service | Should -Be 'cloudtrail.amazonaws.com'
            $f.Event.Raw.eventName | Should -Be 'StopLogging'
        }

        It '-MinimumSeverity High keeps only high and critical findings' {
            $findings = @(Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection -MinimumSeverity High)
            $findings.Count | Should -Be 9
            $findings | Where-Object { "$($_.Severity)" -notin 'High', 'Critical' } | Should -BeNullOrEmpty
        }

        It '-Rule runs only the rules given' {
            $rule = Get-CloudIdDetectionRule -Id '2d1052fb-5fac-43e6-81c6-3f2a6bb13110'
            $findings = @(Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection -Rule $rule)
            $findings.Count | Should -Be 1
            $findings[0].Operation | Should -Be 'StopLogging'
        }
    }

    Context '-Rule takes rule ids and rule paths as typed' {
        It 'runs one built-in rule given by id' {
            $findings = @(Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection -Rule 2d1052fb-5fac-43e6-81c6-3f2a6bb13110)
            $findings.RuleTitle | Should -Be @('CloudTrail Trail Stopped or Deleted')
        }

        It 'loads a folder of rule files given by path' {
            $dir = Join-Path $TestDrive 'my-rules'
            $null = New-Item -ItemType Directory -Force $dir
            "title: Any StopLogging`nid: 11111111-2222-3333-4444-555555555555`nlogsource: {product: aws, service: cloudtrail}`ndetection:`n  sel: {eventName: StopLogging}`n  condition: sel`nlevel: low" |
                Set-Content (Join-Path $dir 'stop.yml')
            (Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection -Rule $dir).RuleTitle | Should -Be 'Any StopLogging'
        }

        It 'rejects a string that is neither an id nor a path' {
            { Get-CloudIdEvent -Path $Story -Recurse | Invoke-CloudIdDetection -Rule ./no-such-rules -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
        }

        It 'completes rule ids for -Rule' {
            $r = TabExpansion2 -inputScript 'Invoke-CloudIdDetection -Rule 2d10' -cursorColumn 34
            $r.CompletionMatches.CompletionText | Should -Contain '2d1052fb-5fac-43e6-81c6-3f2a6bb13110'
        }
    }

    Context 'Stratus Red Team detonation logs (real CloudTrail)' {
        It '<File> raises <Summary>' -ForEach $StratusCases {
            if (-not $HasShared) { Set-ItResult -Skipped -Because $NoShared; return }
            $findings = @(Get-CloudIdEvent -Path (Join-Path $Stratus $File) | Invoke-CloudIdDetection)
            (Get-FindingSummary $findings) -join "`n" | Should -Be ((ConvertTo-ExpectedSummary $Expected) -join "`n")
        }

        It 'pins every detonation log in the corpus folder' {
            if (-not $HasShared) { Set-ItResult -Skipped -Because $NoShared; return }
            $files = @(Get-ChildItem $Stratus -Filter '*.json' | Sort-Object Name | ForEach-Object Name)
            $files | Should -Be @($StratusCases.File | Sort-Object)
        } -ForEach @{ StratusCases = $StratusCases }
    }

    Context 'Other real CloudTrail files of the corpus' {
        It '<File> raises <Summary>' -ForEach $CorpusCases {
            if (-not $HasShared) { Set-ItResult -Skipped -Because $NoShared; return }
            $events = @(Get-CloudIdEvent -Path (Join-Path $SharedCloudTrail $File) -ErrorVariable readErrors)
            $readErrors | Should -BeNullOrEmpty
            $events.Count | Should -BeGreaterThan ($File -like '*digest*' ? -1 : 0)
            $findings = @($events | Invoke-CloudIdDetection)
            (Get-FindingSummary $findings) -join "`n" | Should -Be ((ConvertTo-ExpectedSummary $Expected) -join "`n")
        }
    }

    Context 'AWS documentation examples (raw records as strings)' {
        It 'raises nothing on the IAM/STS examples, including a failed sign-in without MFA' {
            if (-not $HasShared) { Set-ItResult -Skipped -Because $NoShared; return }
            $doc = Get-Content -Raw (Join-Path $SharedCloudTrail 'awsdocs/iam_sts_cloudtrail_examples.json') | ConvertFrom-Json
            $strict = @($doc.examples | Where-Object strict_json -eq $true)
            $events = @($strict.raw_text | Get-CloudIdEvent)
            $events.Count | Should -Be $strict.Count
            $events.Operation | Should -Contain 'ConsoleLogin'
            @($events | Invoke-CloudIdDetection) | Should -BeNullOrEmpty
        }
    }

    Context 'Panther test events (labelled near-misses from another rule set)' {
        It 'fires exactly where expected on the Panther CloudTrail test events' {
            if (-not $HasShared) { Set-ItResult -Skipped -Because $NoShared; return }
            $lines = Get-Content (Join-Path $SharedCloudTrail 'panther/panther_cloudtrail_test_events.jsonl')
            $hits = foreach ($line in $lines) {
                $case = $line | ConvertFrom-Json
                $json = $case.log | ConvertTo-Json -Depth 40 -Compress
                foreach ($f in @(Get-CloudIdEvent -InputObject $json -ErrorAction SilentlyContinue | Invoke-CloudIdDetection)) {
                    '{0} | {1} => {2}' -f $case.rule_file, $case.test_name, $f.RuleTitle
                }
            }
            # Differences from Panther's own verdicts are deliberate: our rules report every admin-policy attach,
            # every trust-policy change, every root API call and a password reset by a role session named like the
            # user (a caller-chosen name), and cannot know a user is new.
            (@($hits | Sort-Object) -join "`n") | Should -Be ((@(
                    'aws_cloudtrail_attempt_to_leave_org.yml | Failed Attempt to Leave Org => Account Attempted to Leave its AWS Organization'
                    'aws_cloudtrail_loginprofilecreatedormodified.yml | ChangeOwnPassword => Console Password Created or Changed for Another IAM User'
                    'aws_cloudtrail_loginprofilecreatedormodified.yml | User changed password for other => Console Password Created or Changed for Another IAM User'
                    'aws_cloudtrail_stopped.yml | CloudTrail Was Stopped => CloudTrail Trail Stopped or Deleted'
                    'aws_console_login_without_mfa.yml | No MFA Login - IAM User => Console Login Without MFA by an IAM User or Root'
                    'aws_console_login_without_mfa.yml | No MFA Login - IAM User Unknown Account => Console Login Without MFA by an IAM User or Root'
                    'aws_console_login_without_mfa.yml | No MFA Login - New User => Console Login Without MFA by an IAM User or Root'
                    'aws_console_login_without_mfa.yml | No MFA Login - Root User => Console Login Without MFA by an IAM User or Root'
                    'aws_console_login_without_mfa.yml | No MFA Login - Root User => Root Account Console Login'
                    'aws_console_root_login_failed.yml | Successful Login => Console Login Without MFA by an IAM User or Root'
                    'aws_console_root_login_failed.yml | Successful Login => Root Account Console Login'
                    'aws_iam_attach_admin_user_policy.yml | IAM User Policy Attached with Administrator Access => AdministratorAccess or a Full-Access Inline Policy Granted to an IAM Identity'
                    'aws_iam_backdoor_role.yml | IAM Role Policy Updated to Allow Internet Access => Trust Policy of an IAM Role Changed'
                    'aws_iam_backdoor_role.yml | IAM Role Policy Updated With No Policy Document => Trust Policy of an IAM Role Changed'
                    'aws_iam_backdoor_role.yml | IAM Role Policy Updated Without Internet Access => Trust Policy of an IAM Role Changed'
                    'aws_iam_create_role.yml | IAM Role Not Created => AdministratorAccess or a Full-Access Inline Policy Granted to an IAM Identity'
                    'aws_iam_create_user.yml | IAM User Not Created => AdministratorAccess or a Full-Access Inline Policy Granted to an IAM Identity'
                    'aws_root_activity.yml | Root Activity - CreateServiceLinkedRole => Root Account API Activity'
                    'aws_root_activity.yml | Root Activity => Root Account API Activity'
                    'aws_root_activity.yml | Root Read-Only Enumeration => Root Account API Activity'
                    'aws_root_activity.yml | Successful Root Login => Console Login Without MFA by an IAM User or Root'
                    'aws_root_activity.yml | Successful Root Login => Root Account Console Login'
                    'aws_secretsmanager_retrieve_secrets_batch.yml | BatchGetSecretValue => Secrets Manager Secrets Retrieved in Bulk (BatchGetSecretValue)'
                    'aws_secretsmanager_retrieve_secrets_multiregion.yml | BatchGetSecretValue in us-east-1 => Secrets Manager Secrets Retrieved in Bulk (BatchGetSecretValue)'
                    'aws_security_configuration_change.yml | Security Configuration Changed => CloudTrail Trail Stopped or Deleted'
                    'aws_user_login_profile_modified.yml | ChangeOwnPassword => Console Password Created or Changed for Another IAM User'
                    'aws_user_login_profile_modified.yml | User changed password for other => Console Password Created or Changed for Another IAM User'
                    'aws_user_login_profile_modified.yml | User changed password for other reset required => Console Password Created or Changed for Another IAM User'
                    'aws_vpc_flow_logs_deleted.yml | Logs Deleted => VPC Flow Logs Deleted'
                ) | Sort-Object) -join "`n")
        }
    }
}
