<#
.SYNOPSIS
    Turns the PlatyPS-layout markdown in docs/ into the help PowerShell reads: one MAML file for the cmdlets
    (ConvertTo-MamlHelp) and classic about_*.help.txt text for the conceptual topics (ConvertTo-AboutHelpText).

.DESCRIPTION
    PlatyPS is not available here (PSGallery is unreachable), so this is a small converter of our own. It reads
    markdown into a flat list of blocks (heading, code, paragraph), groups the blocks by heading, and writes
    MAML with an XmlWriter, so every value is escaped by the writer rather than by hand.

    Dot-sourced by build.ps1; has no dependency on the module or on anything outside PowerShell itself.
#>

$script:MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

#region Markdown reading

function Split-FrontMatter {
    # Returns the front matter as a hashtable and the markdown that follows it.
    param([string] $Text)
    $meta = @{}
    $body = $Text -replace "`r`n", "`n"
    if ($body -match '\A---\n(?<meta>[\s\S]*?)\n---\n?') {
        foreach ($line in $Matches.meta -split "`n") {
            if ($line -match '^(?<key>[^:#]+?)\s*:\s*(?<value>.*)$') { $meta[$Matches.key.Trim()] = $Matches.value.Trim() }
        }
        $body = $body.Substring($Matches[0].Length)
    }
    [pscustomobject]@{ Meta = $meta; Body = $body }
}

function ConvertFrom-MarkdownBlock {
    # Splits markdown into blocks: Heading (Level, Text), Code (Language, Text) and Paragraph (Text, its lines
    # joined with newlines). Lines inside fences are never taken for headings, so '# comment' in code is safe.
    param([string] $Markdown)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($paragraph.Count -gt 0) {
            # Lines all indented by four spaces (or a tab) are an indented code block: kept verbatim, not re-flowed.
            if (-not ($paragraph | Where-Object { $_ -notmatch '^( {4}|\t)' })) {
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Level = 0; Language = ''; Text = (($paragraph -replace '^( {4}|\t)', '') -join "`n") })
            }
            else { $blocks.Add([pscustomobject]@{ Kind = 'Paragraph'; Level = 0; Language = ''; Text = ($paragraph -join "`n") }) }
            $paragraph.Clear()
        }
    }
    foreach ($line in $Markdown -split "`n") {
        if ($null -ne $code) {
            if ($line -match '^\s*(```|~~~)\s*$') {
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Level = 0; Language = $code.Language; Text = ($code.Lines -join "`n") })
                $code = $null
            }
            else { $code.Lines.Add($line) }
            continue
        }
        if ($line -match '^\s*(```|~~~)\s*(?<lang>[\w+-]*)') {
            & $flush
            $code = @{ Language = $Matches.lang; Lines = [System.Collections.Generic.List[string]]::new() }
        }
        elseif ($line -match '^(?<hashes>#{1,6})\s+(?<text>.*?)\s*#*\s*$') {
            & $flush
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Matches.hashes.Length; Language = ''; Text = $Matches.text })
        }
        elseif ($line.Trim().Length -eq 0) { & $flush }
        else { $paragraph.Add($line.TrimEnd()) }
    }
    if ($null -ne $code) { throw "A code fence is not closed (it starts with: $($code.Lines | Select-Object -First 1))." }
    & $flush
    $blocks.ToArray()
}

function Get-MarkdownSection {
    # Groups blocks under their headings of the given level or above (so PlatyPS's '# SHORT DESCRIPTION' in about
    # topics counts as a section too): an ordered list of @{ Title; Blocks }. Blocks before the first such
    # heading are returned under the title ''.
    param([object[]] $Blocks, [int] $Level)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = ''; Blocks = [System.Collections.Generic.List[object]]::new() }
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -le $Level) {
            if ($current.Title -or $current.Blocks.Count) { $sections.Add($current) }
            $current = [pscustomobject]@{ Title = $block.Text; Blocks = [System.Collections.Generic.List[object]]::new() }
        }
        else { $current.Blocks.Add($block) }
    }
    if ($current.Title -or $current.Blocks.Count) { $sections.Add($current) }
    $sections.ToArray()
}

function Find-MarkdownSection {
    param([object[]] $Sections, [string] $Title)
    $Sections | Where-Object { $_.Title -eq $Title } | Select-Object -First 1
}

function ConvertTo-HelpParagraph {
    # Paragraph blocks become help paragraphs: ordinary text is re-flowed onto one line (Get-Help wraps it),
    # lists and tables keep their line breaks, code blocks inside prose are kept verbatim.
    param([object[]] $Blocks)
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Code' { $block.Text }
            'Heading' { $block.Text.ToUpperInvariant() }
            'Paragraph' {
                $lines = $block.Text -split "`n"
                if ($lines | Where-Object { $_ -match '^\s*([-*+]|\d+\.)\s|^\s*\|' }) { $block.Text }
                else { ($lines | ForEach-Object Trim) -join ' ' }
            }
        }
    }
}

function ConvertFrom-ParameterYaml {
    # The PlatyPS parameter block is flat 'Key: value' lines; no YAML library is needed.
    param([string] $Yaml)
    $values = @{}
    foreach ($line in $Yaml -split "`n") {
        if ($line -match '^\s*(?<key>[A-Za-z][A-Za-z ]*?)\s*:\s*(?<value>.*?)\s*$') { $values[$Matches.key] = $Matches.value }
    }
    $get = { param($key, $default) if ($values.ContainsKey($key) -and $values[$key]) { $values[$key] } else { $default } }
    $sets = @((& $get 'Parameter Sets' '(All)') -split '\s*,\s*' | Where-Object { $_ })
    $aliases = @((& $get 'Aliases' '') -split '\s*,\s*' | Where-Object { $_ -and $_ -ne 'None' })
    [pscustomobject]@{
        Type          = & $get 'Type' 'Object'
        ParameterSets = $sets
        Aliases       = $aliases
        Required      = (& $get 'Required' 'False') -match '^\s*True'
        Position      = & $get 'Position' 'Named'
        DefaultValue  = & $get 'Default value' 'None'
        PipelineInput = & $get 'Accept pipeline input' 'False'
        Globbing      = (& $get 'Accept wildcard characters' 'False') -match '^\s*True'
    }
}

function Read-ParameterHelp {
    # '### -Name' sections: description paragraphs and one or more yaml blocks (one per group of parameter sets
    # when the parameter's attributes differ between sets).
    param([object[]] $Blocks)
    foreach ($section in Get-MarkdownSection -Blocks $Blocks -Level 3) {
        if ($section.Title -notmatch '^-(?<name>\w+)$') { continue } # '### CommonParameters' is added by PowerShell itself
        $name = $Matches.name
        $yamlBlocks = @($section.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -match '^(yaml|yml)$' })
        if ($yamlBlocks.Count -eq 0) { throw "Parameter -$name has no yaml block (Type, Parameter Sets, Required, Position, ...)." }
        [pscustomobject]@{
            Name        = $name
            Description = @(ConvertTo-HelpParagraph ($section.Blocks | Where-Object { $yamlBlocks -notcontains $_ }))
            Variants    = @($yamlBlocks | ForEach-Object { ConvertFrom-ParameterYaml $_.Text })
        }
    }
}

function Read-SyntaxHelp {
    # '## SYNTAX': one code block per parameter set, under '### SetName' (or '### SetName (Default)'); a cmdlet
    # with a single set may have the block directly. The parameters are read from the syntax line in order.
    param([object[]] $Blocks)
    foreach ($section in Get-MarkdownSection -Blocks $Blocks -Level 3) {
        $codeBlock = $section.Blocks | Where-Object Kind -eq 'Code' | Select-Object -First 1
        if (-not $codeBlock) { continue }
        $setName = if ($section.Title) { ($section.Title -replace '\s*\(Default\)\s*$', '').Trim() } else { '__AllParameterSets' }
        $names = [regex]::Matches($codeBlock.Text, '(?<=[\s\[])-(?<name>[A-Za-z]\w*)') | ForEach-Object { $_.Groups['name'].Value }
        [pscustomobject]@{ Name = $setName; ParameterNames = @($names | Select-Object -Unique) }
    }
}

function Read-TypeHelp {
    # '## INPUTS' / '## OUTPUTS': '### TypeName' followed by text.
    param([object[]] $Blocks)
    foreach ($section in Get-MarkdownSection -Blocks $Blocks -Level 3) {
        if (-not $section.Title) { continue }
        [pscustomobject]@{ TypeName = $section.Title; Description = @(ConvertTo-HelpParagraph $section.Blocks) }
    }
}

function Read-ExampleHelp {
    # '### Example N: title', then a powershell block (the code), then remarks. Further code blocks (sample
    # output) stay in the remarks, in order, so the example reads as written.
    param([object[]] $Blocks)
    foreach ($section in Get-MarkdownSection -Blocks $Blocks -Level 3) {
        if (-not $section.Title) { continue }
        $codeBlock = $section.Blocks | Where-Object Kind -eq 'Code' | Select-Object -First 1
        [pscustomobject]@{
            Title   = $section.Title
            Code    = if ($codeBlock) { $codeBlock.Text } else { '' }
            Remarks = @(ConvertTo-HelpParagraph ($section.Blocks | Where-Object { -not [object]::ReferenceEquals($_, $codeBlock) }))
        }
    }
}

function Read-RelatedLink {
    param([object[]] $Blocks, [string] $OnlineVersion)
    if ($OnlineVersion) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $OnlineVersion } }
    foreach ($block in $Blocks | Where-Object Kind -eq 'Paragraph') {
        foreach ($line in $block.Text -split "`n") {
            # Links to sibling .md pages have no meaning outside the repository: only absolute URIs are kept.
            if ($line -match '\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)') {
                $text = $Matches.text; $uri = $Matches.uri.Trim()
                [pscustomobject]@{ Text = $text; Uri = $(if ($uri -match '^https?://') { $uri } else { '' }) }
            }
            elseif ($line.Trim() -match '^[-*]?\s*(?<text>\S.*)$') { [pscustomobject]@{ Text = $Matches.text; Uri = '' } }
        }
    }
}

function Read-CommandHelpMarkdown {
    # One docs/<Verb-Noun>.md page into a plain object the MAML writer understands.
    param([Parameter(Mandatory)] [string] $Path)
    $page = Split-FrontMatter ([System.IO.File]::ReadAllText($Path))
    $blocks = ConvertFrom-MarkdownBlock $page.Body
    $title = $blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 1 } | Select-Object -First 1
    $name = if ($title) { $title.Text.Trim() } else { [System.IO.Path]::GetFileNameWithoutExtension($Path) }
    if ($name -notmatch '^(?<verb>[A-Za-z]+)-(?<noun>\w+)$') { throw "$Path`: the title '# $name' is not a Verb-Noun command name." }
    $verb = $Matches.verb; $noun = $Matches.noun
    $sections = @(Get-MarkdownSection -Blocks $blocks -Level 2)
    $section = { param($title) $s = Find-MarkdownSection $sections $title; if ($s) { , @($s.Blocks) } else { , @() } }
    $synopsis = @(ConvertTo-HelpParagraph (& $section 'SYNOPSIS'))
    if ($synopsis.Count -eq 0) { throw "$Path`: '## SYNOPSIS' is missing or empty." }
    $onlineVersion = if ($page.Meta.ContainsKey('online version')) { $page.Meta['online version'] } else { '' }
    [pscustomobject]@{
        Name          = $name
        Verb          = $verb
        Noun          = $noun
        SourcePath    = $Path
        Synopsis      = $synopsis
        Description   = @(ConvertTo-HelpParagraph (& $section 'DESCRIPTION'))
        Syntax        = @(Read-SyntaxHelp (& $section 'SYNTAX'))
        Parameters    = @(Read-ParameterHelp (& $section 'PARAMETERS'))
        Examples      = @(Read-ExampleHelp (& $section 'EXAMPLES'))
        Inputs        = @(Read-TypeHelp (& $section 'INPUTS'))
        Outputs       = @(Read-TypeHelp (& $section 'OUTPUTS'))
        Notes         = @(ConvertTo-HelpParagraph (& $section 'NOTES'))
        RelatedLinks  = @(Read-RelatedLink (& $section 'RELATED LINKS') $onlineVersion)
    }
}

#endregion

#region MAML writing

function Write-MamlElement {
    # <prefix:name>text</prefix:name>, escaped by the writer.
    param([System.Xml.XmlWriter] $Writer, [string] $Name, [string] $Text)
    $prefix, $local = $Name -split ':', 2
    $Writer.WriteElementString($prefix, $local, $script:MamlNamespaces[$prefix], $Text)
}

function Write-MamlStart {
    param([System.Xml.XmlWriter] $Writer, [string] $Name, [System.Collections.IDictionary] $Attributes = @{})
    $prefix, $local = $Name -split ':', 2
    $Writer.WriteStartElement($prefix, $local, $script:MamlNamespaces[$prefix])
    foreach ($key in $Attributes.Keys) { $Writer.WriteAttributeString($key, [string]$Attributes[$key]) }
}

function Write-MamlDescription {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs, [string] $Element = 'maml:description')
    Write-MamlStart $Writer $Element
    foreach ($para in $Paragraphs) { Write-MamlElement $Writer 'maml:para' $para }
    $Writer.WriteEndElement()
}

function Select-ParameterVariant {
    # The yaml block that describes the parameter in the given set ('(All)' matches every set).
    param([object] $Parameter, [string] $SetName)
    $match = $Parameter.Variants | Where-Object { $_.ParameterSets -contains $SetName -or $_.ParameterSets -contains '(All)' } | Select-Object -First 1
    if ($match) { $match } else { $Parameter.Variants[0] }
}

function Get-MamlAttributeText {
    # One attribute of a parameter: its value when the yaml blocks agree (always so in a syntax item, which gets
    # one block), else each value with its sets, e.g. '0 (Path); named (LiteralPath)'.
    param([object[]] $Variants, [scriptblock] $Value)
    $texts = @(foreach ($v in $Variants) { [pscustomobject]@{ Text = [string](& $Value $v); Sets = $v.ParameterSets -join ', ' } })
    if (@($texts.Text | Select-Object -Unique).Count -le 1) { return $texts[0].Text }
    ($texts | ForEach-Object { "$($_.Text) ($($_.Sets))" }) -join '; '
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, [object] $Parameter, [object[]] $Variants, [switch] $InSyntax)
    $Variant = $Variants[0]
    $isSwitch = $Variant.Type -match '^(System\.Management\.Automation\.)?SwitchParameter$'
    Write-MamlStart $Writer 'command:parameter' ([ordered]@{
            # Get-Help reads 'required' as a boolean, so it comes from the first block, as in PlatyPS.
            required       = $Variant.Required.ToString().ToLowerInvariant()
            variableLength = 'true'
            globbing       = $Variant.Globbing.ToString().ToLowerInvariant()
            pipelineInput  = Get-MamlAttributeText $Variants { param($v) $v.PipelineInput }
            position       = Get-MamlAttributeText $Variants { param($v) if ($v.Position -match '^\d+$') { $v.Position } else { 'named' } }
            aliases        = if ($Variant.Aliases.Count) { $Variant.Aliases -join ', ' } else { 'none' }
        })
    Write-MamlElement $Writer 'maml:name' $Parameter.Name
    Write-MamlDescription $Writer $Parameter.Description
    # In a syntax line a switch has no value placeholder: '[-Recurse]', not '[-Recurse <SwitchParameter>]'.
    if (-not ($isSwitch -and $InSyntax)) {
        Write-MamlStart $Writer 'command:parameterValue' ([ordered]@{ required = (-not $isSwitch).ToString().ToLowerInvariant(); variableLength = 'false' })
        $Writer.WriteString($Variant.Type)
        $Writer.WriteEndElement()
    }
    Write-MamlStart $Writer 'dev:type'
    Write-MamlElement $Writer 'maml:name' $Variant.Type
    Write-MamlElement $Writer 'maml:uri' ''
    $Writer.WriteEndElement()
    Write-MamlElement $Writer 'dev:defaultValue' $(if ($isSwitch -and $Variant.DefaultValue -eq 'None') { 'False' } else { $Variant.DefaultValue })
    $Writer.WriteEndElement()
}

function Write-MamlSyntax {
    param([System.Xml.XmlWriter] $Writer, [object] $Command)
    Write-MamlStart $Writer 'command:syntax'
    foreach ($set in $Command.Syntax) {
        Write-MamlStart $Writer 'command:syntaxItem'
        Write-MamlElement $Writer 'maml:name' $Command.Name
        foreach ($parameterName in $set.ParameterNames) {
            $parameter = $Command.Parameters | Where-Object Name -eq $parameterName | Select-Object -First 1
            if (-not $parameter) {
                Write-Warning "$($Command.SourcePath): the syntax of set '$($set.Name)' names -$parameterName, which has no '### -$parameterName' section."
                continue
            }
            Write-MamlParameter $Writer $parameter (Select-ParameterVariant $parameter $set.Name) -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlTypeList {
    param([System.Xml.XmlWriter] $Writer, [object[]] $Types, [string] $ListElement, [string] $ItemElement)
    Write-MamlStart $Writer $ListElement
    foreach ($type in $Types) {
        Write-MamlStart $Writer $ItemElement
        Write-MamlStart $Writer 'dev:type'
        Write-MamlElement $Writer 'maml:name' $type.TypeName
        $Writer.WriteEndElement()
        Write-MamlDescription $Writer $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlExamples {
    param([System.Xml.XmlWriter] $Writer, [object[]] $Examples)
    Write-MamlStart $Writer 'command:examples'
    foreach ($example in $Examples) {
        Write-MamlStart $Writer 'command:example'
        Write-MamlElement $Writer 'maml:title' "-------------------------- $($example.Title) --------------------------"
        Write-MamlElement $Writer 'dev:code' $example.Code
        # The trailing empty paragraph leaves a blank line before the next example's title.
        Write-MamlDescription $Writer (@($example.Remarks) + '') -Element 'dev:remarks'
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [object] $Command)
    Write-MamlStart $Writer 'command:command'
    foreach ($prefix in $script:MamlNamespaces.Keys) { $Writer.WriteAttributeString('xmlns', $prefix, $null, $script:MamlNamespaces[$prefix]) }

    Write-MamlStart $Writer 'command:details'
    Write-MamlElement $Writer 'command:name' $Command.Name
    Write-MamlElement $Writer 'command:verb' $Command.Verb
    Write-MamlElement $Writer 'command:noun' $Command.Noun
    Write-MamlDescription $Writer $Command.Synopsis
    $Writer.WriteEndElement()

    Write-MamlDescription $Writer $Command.Description
    Write-MamlSyntax $Writer $Command
    Write-MamlStart $Writer 'command:parameters'
    foreach ($parameter in $Command.Parameters) { Write-MamlParameter $Writer $parameter $parameter.Variants }
    $Writer.WriteEndElement()
    Write-MamlTypeList $Writer $Command.Inputs 'command:inputTypes' 'command:inputType'
    Write-MamlTypeList $Writer $Command.Outputs 'command:returnValues' 'command:returnValue'
    Write-MamlStart $Writer 'maml:alertSet'
    Write-MamlDescription $Writer $Command.Notes -Element 'maml:alert'
    $Writer.WriteEndElement()
    Write-MamlExamples $Writer $Command.Examples

    Write-MamlStart $Writer 'maml:relatedLinks'
    foreach ($link in $Command.RelatedLinks) {
        Write-MamlStart $Writer 'maml:navigationLink'
        Write-MamlElement $Writer 'maml:linkText' $link.Text
        Write-MamlElement $Writer 'maml:uri' $link.Uri
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes one MAML help file for every docs/<Verb-Noun>.md page in DocsPath.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $pages = if (Test-Path -LiteralPath $DocsPath) {
        Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' -File | Where-Object Name -Match '^[A-Za-z]+-\w+\.md$' | Sort-Object Name
    }
    $commands = foreach ($page in $pages) {
        try { Read-CommandHelpMarkdown -Path $page.FullName }
        catch { throw "Cannot convert $($page.FullName) to MAML help: $($_.Exception.Message)" }
    }
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $commands) { Write-MamlCommand $writer $command }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    Write-Verbose "Wrote help for $(@($commands).Count) command(s) to $OutputPath."
}

#endregion

#region About topics

function Format-WrappedText {
    # Wraps one paragraph at Width columns with the given indent (Get-Help prints about topics verbatim).
    param([string] $Text, [int] $Indent, [int] $Width = 80)
    $pad = ' ' * $Indent
    $line = ''
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($line.Length -and ($pad.Length + $line.Length + 1 + $word.Length) -gt $Width) { $pad + $line; $line = $word }
        elseif ($line.Length) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line.Length) { $pad + $line }
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        Converts a docs/about_*.md topic into the classic about_*.help.txt layout.
    .DESCRIPTION
        PowerShell prints an about topic as plain text and takes line 5 as its synopsis (the one-line summary in
        'Get-Help about_*' listings), so the text starts with TOPIC / name / blank / SHORT DESCRIPTION / summary.
        '## Short description' and '## Long description' (any case; '#' level also accepted) become the classic
        upper-case section titles, other second-level headings become upper-case sections, deeper headings
        indented titles; prose is wrapped at 80 columns and code is indented verbatim.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $page = Split-FrontMatter ([System.IO.File]::ReadAllText($Path))
    $topic = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $blocks = @(ConvertFrom-MarkdownBlock $page.Body | Where-Object { -not ($_.Kind -eq 'Heading' -and $_.Text -eq $topic) })
    $sections = @(Get-MarkdownSection -Blocks $blocks -Level 2)
    $short = Find-MarkdownSection $sections 'Short description'
    if (-not $short) { throw "$Path`: an about topic needs a '## Short description' section (line 5 of the help text)." }
    $summary = (@(ConvertTo-HelpParagraph $short.Blocks) -join ' ') -replace '\s+', ' '

    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@('TOPIC', "    $topic", '', 'SHORT DESCRIPTION', "    $summary"))
    foreach ($section in $sections | Where-Object { $_ -ne $short -and $_.Title }) {
        $lines.AddRange([string[]]@('', $section.Title.ToUpperInvariant()))
        $previous = 'Heading'
        foreach ($block in $section.Blocks) {
            # Text follows its title directly; blocks are separated by one blank line.
            if ($previous -ne 'Heading') { $lines.Add('') }
            $previous = $block.Kind
            switch ($block.Kind) {
                'Heading' { $lines.Add((' ' * (2 * ($block.Level - 2))) + $block.Text) }
                'Code' { foreach ($codeLine in $block.Text -split "`n") { $lines.Add(('        ' + $codeLine).TrimEnd()) } }
                'Paragraph' {
                    $text = $block.Text -split "`n"
                    if ($text | Where-Object { $_ -match '^\s*([-*+]|\d+\.)\s|^\s*\|' }) {
                        foreach ($item in $text) { $lines.Add('    ' + $item.TrimEnd()) }
                    }
                    else { foreach ($wrapped in Format-WrappedText -Text ($text -join ' ') -Indent 4) { $lines.Add($wrapped) } }
                }
            }
        }
    }
    ($lines -join [Environment]::NewLine) + [Environment]::NewLine
}

#endregion
