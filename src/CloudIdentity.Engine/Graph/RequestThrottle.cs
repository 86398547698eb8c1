namespace CloudIdentity.Engine.Graph;

/// <summary>
/// A sliding-window limit on request starts: at most <see cref="Limit"/> in any <see cref="Window"/>. Microsoft Graph
/// allows 5 requests per 10 seconds per app per tenant on the reporting APIs. <see cref="Reserve"/> books the earliest
/// slot and returns how long to wait for it, which is zero while the window has room, so a fetch never idles longer
/// than the limit requires. Thread-safe; shared by every fetch of one connection.
/// </summary>
public sealed class RequestThrottle(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly object _lock = new();

    public static RequestThrottle GraphReporting(TimeProvider time) => new(5, TimeSpan.FromSeconds(10), time);

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit));
    public TimeSpan Window { get; } = window;

    /// <summary>Books the next request slot; returns the wait before it may start (zero when there is room now).</summary>
    public TimeSpan Reserve()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_starts.Count > 0 && _starts.Peek() <= now - Window) _starts.Dequeue();
            var slot = now;
            if (_starts.Count >= Limit)
            {
                // The (Count - Limit + 1)th oldest start must leave the window first.
                slot = _starts.ElementAt(_starts.Count - Limit) + Window;
            }
            _starts.Enqueue(slot);
            return slot > now ? slot - now : TimeSpan.Zero;
        }
    }
}
