using System.Text.Json;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Engine.Sources.Entra;

/// <summary>Which Graph API version a record came from, read from the page's <c>@odata.context</c> or its origin URL.</summary>
public static class GraphApiVersion
{
    public static string? Of(RecordContext context)
    {
        string? text = null;
        if (context.Envelope is not null && context.Envelope.TryGetValue("@odata.context", out var ctx) && ctx.ValueKind == JsonValueKind.String)
            text = ctx.GetString();
        text ??= context.Origin;
        if (text is null) return null;
        if (text.Contains("/beta/", StringComparison.OrdinalIgnoreCase)) return "beta";
        if (text.Contains("/v1.0/", StringComparison.OrdinalIgnoreCase)) return "v1.0";
        return null;
    }
}
