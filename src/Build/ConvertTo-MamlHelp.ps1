# Placeholder replaced by the full PlatyPS-layout converter (see docs/). Emits an empty but valid help file.
function ConvertTo-MamlHelp {
    param([string] $DocsPath, [string] $OutputPath)
    '<?xml version="1.0" encoding="utf-8"?><helpItems schema="maml" xmlns="http://msh" />' | Set-Content -Path $OutputPath -Encoding utf8
}
