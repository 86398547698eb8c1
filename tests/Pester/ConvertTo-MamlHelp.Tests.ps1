<#
    The build's help converter (src/Build/ConvertTo-MamlHelp.ps1) on small pages written here: escaping, the
    PlatyPS layout's corners (several yaml blocks per parameter, a syntax block without a set heading, '#' lines
    inside code), errors for broken pages, the about-topic text layout, and what Get-Help shows from the result.
#>

BeforeAll {
    Import-Module $env:CLOUDID_MODULE_PATH -Force
    . (Join-Path $PSScriptRoot '../../src/Build/ConvertTo-MamlHelp.ps1')

    $script:Ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
    $fence = '```'

    function New-DocsFolder([hashtable] $Pages) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $folder
        foreach ($name in $Pages.Keys) { Set-Content -Path (Join-Path $folder $name) -Value $Pages[$name] -Encoding utf8 }
        $folder
    }

    function Convert-Docs([hashtable] $Pages) {
        $docs = New-DocsFolder $Pages
        $out = Join-Path $docs 'help.xml'
        ConvertTo-MamlHelp -DocsPath $docs -OutputPath $out
        [xml](Get-Content -Raw $out)
    }

    function Select-Maml([System.Xml.XmlNode] $Xml, [string] $XPath) { @(Select-Xml -Xml $Xml -XPath $XPath -Namespace $Ns | ForEach-Object Node) }

    # A page with awkward characters everywhere and the PlatyPS corners this converter must handle.
    $script:ProbePage = @"
---
external help file: Probe-help.xml
Module Name: Probe
online version: https://example.com/help/Get-Probe?a=1&b=2
schema: 2.0.0
---

# Get-Probe

## SYNOPSIS
Gets <probes> & "quoted" things.

## SYNTAX

### Path (Default)
$fence
Get-Probe [-Path] <String[]> [-Recurse] [<CommonParameters>]
$fence

### Literal
$fence
Get-Probe -LiteralPath <String[]> [-Recurse] [<CommonParameters>]
$fence

## DESCRIPTION
First paragraph, written
over two lines.

Second paragraph with ]]> and <xml/> in it.

## EXAMPLES

### Example 1: Compare & filter
${fence}powershell
# A comment, not a heading
## Nor this one
Get-Probe -Path ./a | Where-Object { `$_.Size -lt 5 -and `$_.Name -ne '<none>' }
$fence

Remarks with <angle brackets> & ampersands.

$fence
Output line 1
$fence

## PARAMETERS

### -Path
Paths, with <wildcards>.

${fence}yaml
Type: String[]
Parameter Sets: Path
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: False
Accept wildcard characters: True
$fence

### -LiteralPath
Exact paths.

${fence}yaml
Type: String[]
Parameter Sets: Literal
Aliases: PSPath, LP

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
$fence

### -Recurse
Position differs by set (a made-up case to test several yaml blocks).

${fence}yaml
Type: SwitchParameter
Parameter Sets: Path
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
$fence

${fence}yaml
Type: SwitchParameter
Parameter Sets: Literal
Aliases:

Required: True
Position: Named
Default value: False
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
$fence

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
A path & more.

## OUTPUTS

### Probe.Result
One <result>.

## NOTES
A note & a caveat.

## RELATED LINKS

[Online docs](https://example.com/x?y=1&z=2)

[Get-Other](Get-Other.md)
"@
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $xml = Convert-Docs @{ 'Get-Probe.md' = $ProbePage; 'about_Probe.md' = "# about_Probe`n`n## Short description`nx"; 'README.md' = 'not a command page' }
    }

    It 'writes one command per Verb-Noun page (about topics and README are not commands)' {
        $xml.helpItems.schema | Should -Be 'maml'
        @(Select-Maml $xml '//command:command/command:details/command:name').InnerText | Should -Be @('Get-Probe')
        (Select-Maml $xml '//command:details/command:verb').InnerText | Should -Be 'Get'
        (Select-Maml $xml '//command:details/command:noun').InnerText | Should -Be 'Probe'
    }

    It 'escapes text so it reads back unchanged' {
        (Select-Maml $xml '//command:details/maml:description/maml:para').InnerText | Should -BeExactly 'Gets <probes> & "quoted" things.'
        (Select-Maml $xml '/*/command:command/maml:description/maml:para')[1].InnerText | Should -BeExactly 'Second paragraph with ]]> and <xml/> in it.'
        (Select-Maml $xml '//command:inputType/maml:description/maml:para').InnerText | Should -BeExactly 'A path & more.'
        (Select-Maml $xml '//maml:alertSet/maml:alert/maml:para').InnerText | Should -BeExactly 'A note & a caveat.'
    }

    It 're-flows a paragraph written over several lines' {
        (Select-Maml $xml '/*/command:command/maml:description/maml:para')[0].InnerText | Should -BeExactly 'First paragraph, written over two lines.'
    }

    It 'keeps an example''s code verbatim, including # lines, and puts the rest in the remarks' {
        $example = Select-Maml $xml '//command:example'
        $example.Count | Should -Be 1
        (Select-Maml $xml '//command:example/maml:title').InnerText | Should -Match 'Example 1: Compare & filter'
        $code = (Select-Maml $xml '//command:example/dev:code').InnerText
        $code | Should -BeExactly ("# A comment, not a heading`n## Nor this one`nGet-Probe -Path ./a | Where-Object { `$_.Size -lt 5 -and `$_.Name -ne '<none>' }")
        $remarks = @((Select-Maml $xml '//command:example/dev:remarks/maml:para').InnerText)
        $remarks[0] | Should -BeExactly 'Remarks with <angle brackets> & ampersands.'
        $remarks[1] | Should -BeExactly 'Output line 1'
    }

    It 'writes a syntax item per parameter set, with the set''s own yaml block' {
        $items = Select-Maml $xml '//command:syntax/command:syntaxItem'
        $items.Count | Should -Be 2
        $pathSet = @(Select-Maml $items[0] 'command:parameter')
        $pathSet.name | Should -Be @('Path', 'Recurse')
        $pathSet[0].position | Should -Be '0'
        $pathSet[0].required | Should -Be 'true'
        $pathSet[0].globbing | Should -Be 'true'
        $pathSet[1].required | Should -Be 'false'
        $literalSet = @(Select-Maml $items[1] 'command:parameter')
        $literalSet.name | Should -Be @('LiteralPath', 'Recurse')
        $literalSet[0].position | Should -Be 'named'
        $literalSet[0].aliases | Should -Be 'PSPath, LP'
        $literalSet[0].pipelineInput | Should -Be 'True (ByPropertyName)'
        $literalSet[1].required | Should -Be 'true' -Because 'the second yaml block of -Recurse is for the Literal set'
    }

    It 'gives a switch no value placeholder in syntax, but its type in the parameter list' {
        $inSyntax = (Select-Maml $xml '//command:syntaxItem/command:parameter') | Where-Object name -eq 'Recurse' | Select-Object -First 1
        Select-Maml $inSyntax 'command:parameterValue' | Should -BeNullOrEmpty
        $listed = (Select-Maml $xml '//command:parameters/command:parameter') | Where-Object name -eq 'Recurse'
        (Select-Maml $listed 'command:parameterValue').InnerText | Should -Be 'SwitchParameter'
        (Select-Maml $listed 'dev:defaultValue').InnerText | Should -Be 'False'
    }

    It 'shows in the parameter list an attribute that differs between sets with the sets' {
        $listed = (Select-Maml $xml '//command:parameters/command:parameter') | Where-Object name -eq 'Recurse'
        $listed.pipelineInput | Should -Be 'False (Path); True (ByPropertyName) (Literal)'
        $listed.position | Should -Be 'named'
        $listed.required | Should -Be 'false' -Because 'Get-Help reads it as a boolean: the first block gives it'
        ((Select-Maml $xml '//command:parameters/command:parameter') | Where-Object name -eq 'Path').required | Should -Be 'true'
    }

    It 'lists every documented parameter once, and not CommonParameters' {
        (Select-Maml $xml '//command:parameters/command:parameter/maml:name').InnerText | Should -Be @('Path', 'LiteralPath', 'Recurse')
    }

    It 'writes inputs, outputs and related links (relative .md links keep their text only)' {
        (Select-Maml $xml '//command:inputType/dev:type/maml:name').InnerText | Should -Be 'System.String'
        (Select-Maml $xml '//command:returnValue/dev:type/maml:name').InnerText | Should -Be 'Probe.Result'
        $links = Select-Maml $xml '//maml:relatedLinks/maml:navigationLink'
        $links.linkText | Should -Be @('Online Version:', 'Online docs', 'Get-Other')
        $links.uri | Should -Be @('https://example.com/help/Get-Probe?a=1&b=2', 'https://example.com/x?y=1&z=2', '')
    }

    It 'writes an empty, valid help file when there are no pages' {
        $empty = Convert-Docs @{}
        $empty.helpItems.schema | Should -Be 'maml'
        Select-Maml $empty '//command:command' | Should -BeNullOrEmpty
    }

    It 'stops the build with the page''s name when <Case>' -ForEach @(
        @{ Case = 'SYNOPSIS is missing'; Page = "# Get-Probe`n`n## DESCRIPTION`nText."; Message = '*Get-Probe.md*SYNOPSIS*' }
        @{ Case = 'a code fence is not closed'; Page = "# Get-Probe`n`n## SYNOPSIS`nS.`n`n## EXAMPLES`n`n### Example 1`n``````powershell`nGet-Probe"; Message = '*Get-Probe.md*not closed*' }
        @{ Case = 'a parameter has no yaml block'; Page = "# Get-Probe`n`n## SYNOPSIS`nS.`n`n## PARAMETERS`n`n### -Path`nText only."; Message = '*Get-Probe.md*-Path*yaml*' }
    ) {
        $docs = New-DocsFolder @{ 'Get-Probe.md' = $Page }
        { ConvertTo-MamlHelp -DocsPath $docs -OutputPath (Join-Path $docs 'help.xml') } | Should -Throw -ExpectedMessage $Message
    }
}

Describe 'Get-Help on the converted MAML' {
    BeforeAll {
        # A script module whose function takes its help from the converted file, as a binary module's cmdlets do.
        $moduleDir = Join-Path $TestDrive 'Probe'
        $null = New-Item -ItemType Directory -Path (Join-Path $moduleDir 'en-US') -Force
        ConvertTo-MamlHelp -DocsPath (New-DocsFolder @{ 'Get-Probe.md' = $ProbePage }) -OutputPath (Join-Path $moduleDir 'en-US/Probe-help.xml')
        Set-Content -Path (Join-Path $moduleDir 'Probe.psm1') -Value @'
function Get-Probe {
    # .EXTERNALHELP Probe-help.xml
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path')] [string[]] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Literal', ValueFromPipelineByPropertyName)] [Alias('PSPath', 'LP')] [string[]] $LiteralPath,
        [switch] $Recurse
    )
}
'@
        Import-Module (Join-Path $moduleDir 'Probe.psm1') -Force
        $help = Get-Help Get-Probe -Full
        $text = $help | Out-String -Width 200
    }
    AfterAll { Remove-Module Probe -ErrorAction SilentlyContinue }

    It 'shows the synopsis and description' {
        $help.Synopsis | Should -BeExactly 'Gets <probes> & "quoted" things.'
        $text | Should -Match 'First paragraph, written over two lines\.'
    }

    It 'shows the parameters with their attributes' {
        $path = $help.parameters.parameter | Where-Object name -eq 'Path'
        $path.required | Should -Be 'true'
        $path.position | Should -Be '0'
        $path.globbing | Should -Be 'true'
        ($path.description.Text -join ' ') | Should -Be 'Paths, with <wildcards>.'
        $text | Should -Match 'Accept pipeline input\?\s+True \(ByPropertyName\)'
        $text | Should -Match 'Aliases\s+PSPath, LP'
        $text | Should -Match 'Accept pipeline input\?\s+False \(Path\); True \(ByPropertyName\) \(Literal\)'
    }

    It 'shows the syntax of both parameter sets' {
        $text | Should -Match 'Get-Probe \[-Path\] <String\[\]> \[-Recurse\]'
        $text | Should -Match 'Get-Probe -LiteralPath <String\[\]> -Recurse'
    }

    It 'shows the example''s code and remarks' {
        $example = @($help.examples.example)[0]
        $example.code | Should -Match '(?m)^# A comment, not a heading$'
        ($example.remarks.Text -join "`n") | Should -Match 'Remarks with <angle brackets> & ampersands\.'
    }
}

Describe 'ConvertTo-AboutHelpText' {
    It 'writes the classic layout with the short description on line 5 (<Style>)' -ForEach @(
        @{ Style = 'PowerShell-Docs headings'; Markdown = "---`ntitle: about_Probe`n---`n# about_Probe`n`n## Short description`nProbes & things.`n`n## Long description`nText." }
        @{ Style = 'PlatyPS headings'; Markdown = "# about_Probe`n## about_Probe`n`n# SHORT DESCRIPTION`nProbes & things.`n`n# LONG DESCRIPTION`nText." }
    ) {
        $path = Join-Path $TestDrive 'about_Probe.md'
        Set-Content -Path $path -Value $Markdown -Encoding utf8
        $lines = (ConvertTo-AboutHelpText -Path $path) -split '\r?\n'
        $lines[0..6] | Should -Be @('TOPIC', '    about_Probe', '', 'SHORT DESCRIPTION', '    Probes & things.', '', 'LONG DESCRIPTION')
        $lines[7] | Should -Be '    Text.'
    }

    It 'wraps prose at 80 columns, indents code and keeps list lines' {
        $long = (1..40 | ForEach-Object { "word$_" }) -join ' '
        $path = Join-Path $TestDrive 'about_Wrap.md'
        Set-Content -Path $path -Encoding utf8 -Value "# about_Wrap`n`n## Short description`nS.`n`n## Long description`n$long`n`n``````powershell`nGet-Probe | Where-Object Name -eq x`n```````n`n- one`n- two`n`n### A subsection`nMore.`n`n    Connect-Probe -Identity`n    Get-Probe -Name 'a b'"
        $lines = (ConvertTo-AboutHelpText -Path $path) -split '\r?\n'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $prose = $lines | Where-Object { $_ -like '    word*' }
        ($prose.Trim() -join ' ') | Should -Be $long
        $lines | Should -Contain '        Get-Probe | Where-Object Name -eq x'
        $lines | Should -Contain '    - one'
        $lines | Should -Contain '  A subsection'
        # An indented code block stays as written, line by line.
        $lines | Should -Contain "        Connect-Probe -Identity"
        $lines | Should -Contain "        Get-Probe -Name 'a b'"
    }

    It 'refuses a topic without a short description' {
        $path = Join-Path $TestDrive 'about_Bad.md'
        Set-Content -Path $path -Value "# about_Bad`n`n## Long description`nText." -Encoding utf8
        { ConvertTo-AboutHelpText -Path $path } | Should -Throw -ExpectedMessage '*about_Bad.md*Short description*'
    }
}
