namespace CloudIdentity.Engine.Graph;

/// <summary>
/// A Microsoft cloud: where Entra ID signs in, where Microsoft Graph and Azure Resource Manager answer, and the
/// resource names their tokens are issued for. Endpoints may be overridden (a proxy, a test server) while the
/// token audiences stay those of the cloud.
/// </summary>
public sealed record AzureCloud(string Name, Uri Authority, Uri GraphEndpoint, Uri ResourceManagerEndpoint, string GraphResource, string ResourceManagerResource)
{
    public static readonly AzureCloud Public = new("AzureCloud", new("https://login.microsoftonline.com/"),
        new("https://graph.microsoft.com/"), new("https://management.azure.com/"), "https://graph.microsoft.com", "https://management.azure.com");

    public static readonly AzureCloud UsGovernment = new("AzureUSGovernment", new("https://login.microsoftonline.us/"),
        new("https://graph.microsoft.us/"), new("https://management.usgovcloudapi.net/"), "https://graph.microsoft.us", "https://management.usgovcloudapi.net");

    public static readonly AzureCloud UsGovernmentDoD = new("AzureUSGovernmentDoD", new("https://login.microsoftonline.us/"),
        new("https://dod-graph.microsoft.us/"), new("https://management.usgovcloudapi.net/"), "https://dod-graph.microsoft.us", "https://management.usgovcloudapi.net");

    public static readonly AzureCloud China = new("AzureChinaCloud", new("https://login.chinacloudapi.cn/"),
        new("https://microsoftgraph.chinacloudapi.cn/"), new("https://management.chinacloudapi.cn/"), "https://microsoftgraph.chinacloudapi.cn", "https://management.chinacloudapi.cn");

    public static readonly IReadOnlyList<AzureCloud> All = [Public, UsGovernment, UsGovernmentDoD, China];

    public static AzureCloud? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public string GraphScope => GraphResource + "/.default";
    public string ResourceManagerScope => ResourceManagerResource + "/.default";
}
