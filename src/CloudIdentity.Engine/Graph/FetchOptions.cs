namespace CloudIdentity.Engine.Graph;

/// <summary>How hard a fetch tries: retries per page, the longest it waits for one page, the time one request may take.</summary>
public sealed record FetchOptions
{
    /// <summary>Attempts per page before giving up (the first try included).</summary>
    public int MaxAttemptsPerPage { get; init; } = 8;
    /// <summary>The longest a page may keep failing and being retried before the fetch gives up.</summary>
    public TimeSpan MaxRetryDuration { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long one request may take, headers and body, before it counts as failed and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);
    /// <summary>First back-off when the server sends no Retry-After; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Counts of one fetch, for progress and the closing verbose line.</summary>
public sealed class FetchStatistics
{
    public int Requests { get; internal set; }
    public int Retries { get; internal set; }
    public int Pages { get; internal set; }
    public long Records { get; internal set; }
    public TimeSpan ThrottleWait { get; internal set; }
    public TimeSpan RetryWait { get; internal set; }
    /// <summary>True when the fetch stopped early (pagination loop, gave up): what was returned is partial.</summary>
    public bool Partial { get; internal set; }
    /// <summary>Status codes and transport failures seen, in order (for diagnostics and tests).</summary>
    public List<string> RetryLog { get; } = [];
}
