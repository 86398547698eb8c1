<#
    Convention tests: they keep every cmdlet of the module honest, including the ones added after this file.
    The list of cmdlets comes from the imported module at discovery time, so a new cmdlet is checked as soon as
    it is exported (and a cmdlet class that is not exported is reported too).
#>

BeforeDiscovery {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $module = Get-Module CloudIdentity
    $cmdletCases = @($module.ExportedCmdlets.Values | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $attributeOf = { param($command) $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0] }
    $shouldProcessCases = @($module.ExportedCmdlets.Values | Where-Object { (& $attributeOf $_).SupportsShouldProcess } |
            Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    # Verbs that change state: such a cmdlet must support -WhatIf and -Confirm.
    $changingVerbs = 'Add', 'Block', 'Clear', 'Deny', 'Disable', 'Enable', 'Grant', 'Lock', 'Move', 'New', 'Publish', 'Register',
    'Remove', 'Rename', 'Reset', 'Revoke', 'Set', 'Stop', 'Unblock', 'Unlock', 'Unregister', 'Update'
    $stateChangingCases = @($module.ExportedCmdlets.Values | Where-Object Verb -In $changingVerbs |
            Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $pageCases = @(Get-ChildItem (Join-Path $repoRoot 'docs') -Filter '*.md' -File -ErrorAction SilentlyContinue |
            Where-Object Name -Match '^[A-Za-z]+-\w+\.md$' | ForEach-Object { @{ Page = $_.Name } })
}

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    $script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $script:DocsRoot = Join-Path $RepoRoot 'docs'
    # The converter's own reader, so the tests see a page exactly as the build does.
    . (Join-Path $RepoRoot 'src/Build/ConvertTo-MamlHelp.ps1')
    $script:Module = Get-Module CloudIdentity
    # Parameters documented by PowerShell itself (-Verbose, -ErrorAction, ..., -ProgressAction), never on a page.
    # -WhatIf and -Confirm are documented on the page, as PlatyPS does.
    $script:CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

    function Get-CmdletAttributeData([type] $Type) {
        [System.Reflection.CustomAttributeData]::GetCustomAttributes($Type) |
            Where-Object { $_.AttributeType -eq [System.Management.Automation.CmdletAttribute] }
    }
}

Describe 'The CloudIdentity module' {
    It 'imports and exports at least one cmdlet' {
        $Module | Should -Not -BeNullOrEmpty
        $Module.ExportedCmdlets.Count | Should -BeGreaterThan 0
    }

    It 'exports every cmdlet class of its assembly (CmdletsToExport in CloudIdentity.psd1)' {
        $declared = $Module.ImplementingAssembly.GetExportedTypes() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object {
                $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                "$($attribute.VerbName)-$($attribute.NounName)"
            }
        @($declared | Where-Object { $_ -notin $Module.ExportedCmdlets.Keys }) | Should -BeNullOrEmpty -Because 'a cmdlet class nobody can call is a forgotten CmdletsToExport entry'
    }

    It 'has a Get-Help about_CloudIdentity topic whose synopsis is its short description' {
        $topic = Get-Help about_CloudIdentity
        $topic | Should -Not -BeNullOrEmpty
        "$topic" | Should -Match '(?m)^TOPIC\s+about_CloudIdentity'
        "$topic" | Should -Match 'Get-CloudIdEvent -Path \./logs -Recurse \| Invoke-CloudIdDetection \| Export-Csv'
        # PowerShell takes line 5 of an about topic as its synopsis (shown in 'Get-Help about_*' lists).
        $lines = "$topic" -split '\r?\n'
        $lines[3] | Should -Be 'SHORT DESCRIPTION'
        $lines[4].Trim() | Should -Match '^Cloud identity threat detection'
    }

    It 'has an about topic for every docs/about_*.md page, each with a short description on line 5' {
        $pages = @(Get-ChildItem $DocsRoot -Filter 'about_*.md')
        $pages.Count | Should -BeGreaterThan 0
        foreach ($page in $pages) {
            $text = Get-Help $page.BaseName | Out-String
            $lines = @(($text.Trim("`r", "`n")) -split '\r?\n')
            $lines[0] | Should -Be 'TOPIC' -Because "$($page.Name) must convert to the classic about-topic layout"
            $lines[4].Trim() | Should -Not -BeNullOrEmpty -Because "$($page.Name) needs a '## Short description'"
        }
    }
}

Describe 'Exported cmdlet <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command $Name -Module CloudIdentity
        $type = $command.ImplementingType
        $page = Join-Path $DocsRoot "$Name.md"
        $realParameters = @($command.Parameters.Keys | Where-Object { $_ -notin $CommonParameters } | Sort-Object)
    }

    It 'declares [OutputType]' {
        $command.OutputType | Should -Not -BeNullOrEmpty -Because 'every cmdlet says what it writes'
        @($type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true)).Count | Should -BeGreaterThan 0
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $command.Verb
    }

    It 'has the CloudId noun prefix' {
        $command.Noun | Should -BeLikeExactly 'CloudId?*'
    }

    It 'is a sealed class named after its verb and noun' {
        $type.IsSealed | Should -BeTrue
        $type.Name | Should -BeExactly "$($command.Verb)$($command.Noun)Command"
    }

    It 'has a docs page (docs/<Name>.md)' {
        $page | Should -Exist
    }

    Context 'its docs page' {
        BeforeAll {
            $help = if (Test-Path $page) { Read-CommandHelpMarkdown -Path $page }
            $documented = @($help.Parameters.Name | Sort-Object)
        }

        It 'documents every parameter of the cmdlet' {
            $help | Should -Not -BeNullOrEmpty
            @($realParameters | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because "docs/$Name.md needs a '### -Name' section per parameter"
        }

        It 'documents no parameter the cmdlet does not have' {
            $help | Should -Not -BeNullOrEmpty
            @($documented | Where-Object { $_ -notin $realParameters }) | Should -BeNullOrEmpty
        }

        It 'names the cmdlet in its title' {
            $help.Name | Should -BeExactly $Name
        }

        It 'has a syntax block for each parameter set, listing that set''s parameters' {
            $sets = @($command.ParameterSets)
            foreach ($set in $sets) {
                $syntax = if ($sets.Count -eq 1) { $help.Syntax | Select-Object -First 1 } else { $help.Syntax | Where-Object Name -eq $set.Name }
                $syntax | Should -Not -BeNullOrEmpty -Because "docs/$Name.md needs '### $($set.Name)' under '## SYNTAX'"
                $expected = @($set.Parameters.Name | Where-Object { $_ -notin $CommonParameters } | Sort-Object)
                @($syntax.ParameterNames | Sort-Object) | Should -Be $expected -Because "the syntax of set '$($set.Name)'"
            }
        }

        It 'gives each parameter the Required, Position and pipeline input it really has' {
            foreach ($parameterHelp in $help.Parameters | Where-Object Name -in $realParameters) {
                foreach ($set in $command.ParameterSets | Where-Object { $_.Parameters.Name -contains $parameterHelp.Name }) {
                    $real = $set.Parameters | Where-Object Name -eq $parameterHelp.Name
                    $doc = Select-ParameterVariant $parameterHelp $set.Name
                    $because = "-$($parameterHelp.Name) in set '$($set.Name)'"
                    $doc.Required | Should -Be $real.IsMandatory -Because $because
                    $position = if ($real.Position -ge 0) { "$($real.Position)" } else { 'Named' }
                    $doc.Position | Should -Be $position -Because $because
                    $pipeline = @(if ($real.ValueFromPipeline) { 'ByValue' }; if ($real.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                    $documentedPipeline = if ($doc.PipelineInput -match '^True \((?<how>[^)]*)\)') { @($Matches.how -split '\s*,\s*' | Sort-Object) } else { @() }
                    if ($pipeline) { $documentedPipeline | Should -Be @($pipeline | Sort-Object) -Because $because }
                    else { $doc.PipelineInput | Should -Be 'False' -Because $because }
                }
            }
        }

        It 'lists each parameter''s aliases' {
            foreach ($parameterHelp in $help.Parameters | Where-Object Name -in $realParameters) {
                $real = @($command.Parameters[$parameterHelp.Name].Aliases | Sort-Object)
                @($parameterHelp.Variants[0].Aliases | Sort-Object) | Should -Be $real -Because "-$($parameterHelp.Name)"
            }
        }
    }

    Context 'Get-Help -Full' {
        BeforeAll { $fullHelp = Get-Help $Name -Full }

        It 'shows the synopsis from the docs page' {
            # Without MAML help, PowerShell makes the synopsis up from the syntax; that must not be what we see.
            $fullHelp.Synopsis | Should -Not -BeNullOrEmpty
            $fullHelp.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))\s"
            $fullHelp.Synopsis | Should -BeExactly ((Read-CommandHelpMarkdown -Path $page).Synopsis -join "`n")
        }

        It 'shows a description' {
            @($fullHelp.description).Count | Should -BeGreaterThan 0
            ($fullHelp.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        }

        It 'shows at least one example, with code' {
            $examples = @($fullHelp.examples.example)
            $examples.Count | Should -BeGreaterThan 0
            $examples | ForEach-Object { $_.code | Should -Not -BeNullOrEmpty }
        }

        It 'shows every parameter with its description' {
            $shown = @($fullHelp.parameters.parameter)
            foreach ($name in $realParameters) {
                $parameter = $shown | Where-Object name -eq $name
                $parameter | Should -Not -BeNullOrEmpty -Because "-$name"
                ($parameter.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
            }
        }
    }
}

Describe 'Cmdlet <Name>, which supports ShouldProcess' -ForEach $shouldProcessCases -AllowNullOrEmptyForEach {
    It 'declares an explicit ConfirmImpact other than None' {
        $type = (Get-Command $Name -Module CloudIdentity).ImplementingType
        $named = (Get-CmdletAttributeData $type).NamedArguments | Where-Object MemberName -eq 'ConfirmImpact'
        $named | Should -Not -BeNullOrEmpty -Because 'the impact of a state change is a decision, not a default'
        $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Not -Be ([System.Management.Automation.ConfirmImpact]::None)
    }
}

Describe 'Cmdlet <Name>, whose verb changes state' -ForEach $stateChangingCases -AllowNullOrEmptyForEach {
    It 'supports ShouldProcess (-WhatIf, -Confirm)' {
        $type = (Get-Command $Name -Module CloudIdentity).ImplementingType
        $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].SupportsShouldProcess | Should -BeTrue
    }
}

Describe 'Docs page <Page>' -ForEach $pageCases {
    It 'belongs to an exported cmdlet' {
        [System.IO.Path]::GetFileNameWithoutExtension($Page) | Should -BeIn @($Module.ExportedCmdlets.Keys) -Because 'a page for a cmdlet that does not exist misleads'
    }
}

Describe 'Module source' {
    BeforeAll {
        $sourceFiles = Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -File -Include '*.cs', '*.ps1', '*.psm1' |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    }

    It 'never uses Write-Host' {
        @($sourceFiles | Select-String -Pattern '\bWrite-Host\b' | ForEach-Object { "$($_.Path):$($_.LineNumber)" }) |
            Should -BeNullOrEmpty -Because 'output is objects; messages go to the Verbose, Warning or Information streams'
    }

    It 'never writes to the console directly from C# (Console.*, Host.UI.Write*)' {
        $pattern = '\bConsole\s*\.\s*(Write|Out|Error|In\b|Read|Set|Open|ForegroundColor|BackgroundColor|ResetColor|Beep|Clear)|\bHost\s*\.\s*UI\s*\.\s*Write'
        @($sourceFiles | Where-Object Extension -eq '.cs' | Select-String -Pattern $pattern |
                ForEach-Object { "$($_.Path):$($_.LineNumber): $($_.Line.Trim())" }) | Should -BeNullOrEmpty
    }
}
