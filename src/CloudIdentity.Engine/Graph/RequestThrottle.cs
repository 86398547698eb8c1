namespace CloudIdentity.Engine.Graph;

/// <summary>
/// A sliding-window limit on request starts: at most <see cref="Limit"/> in any <see cref="Window"/>. Microsoft Graph
/// allows 5 requests per 10 seconds per app per tenant on the reporting APIs. <see cref="Reserve"/> books the earliest
/// slot and returns how long to wait for it, which is zero while the window has room, so a fetch never idles longer
/// than the limit requires. Thread-safe; shared by every fetch of one connection.
/// </summary>
public sealed class RequestThrottle(int limit, TimeSpan window, TimeProvider time)
{
    /// <summary>A booked request slot; <see cref="Dispatched"/> moves it to when the request really went out.</summary>
    public sealed class Ticket
    {
        internal DateTimeOffset Start;
    }

    private readonly List<Ticket> _starts = [];
    private readonly object _lock = new();

    public static RequestThrottle GraphReporting(TimeProvider time) => new(5, TimeSpan.FromSeconds(10), time);

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit));
    public TimeSpan Window { get; } = window;

    /// <summary>Books the next request slot; returns the wait before it may start (zero when there is room now).</summary>
    public TimeSpan Reserve() => Reserve(out _);

    public TimeSpan Reserve(out Ticket ticket)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _starts.RemoveAll(t => t.Start <= now - Window);
            var slot = now;
            if (_starts.Count >= Limit)
            {
                // The (Count - Limit + 1)th oldest start must leave the window first.
                slot = _starts.Select(t => t.Start).Order().ElementAt(_starts.Count - Limit) + Window;
            }
            ticket = new Ticket { Start = slot };
            _starts.Add(ticket);
            return slot > now ? slot - now : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Records that the booked request is being sent now. Work between booking and sending (a token request, a
    /// connection) would otherwise make the server see the request later than booked, and the requests that wait for
    /// its slot to leave the window would go out too early by that much.
    /// </summary>
    public void Dispatched(Ticket ticket)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now > ticket.Start) ticket.Start = now;
        }
    }
}
