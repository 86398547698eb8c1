namespace CloudIdentity.Engine.Reading;

/// <summary>
/// A bounded single-producer, single-consumer queue of batches that blocks without spinning: the waiting side
/// sleeps on a monitor, which leaves the CPU to the side doing the work (SemaphoreSlim-based queues spin first).
/// </summary>
internal sealed class BatchQueue<T>(int capacity)
{
    private readonly Queue<T> _items = new();
    private bool _completed;

    public void Add(T item, CancellationToken cancellation)
    {
        lock (_items)
        {
            while (_items.Count >= capacity && !cancellation.IsCancellationRequested) Monitor.Wait(_items, 100);
            cancellation.ThrowIfCancellationRequested();
            _items.Enqueue(item);
            Monitor.PulseAll(_items);
        }
    }

    public void Complete()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Takes the next item; false when the producer has completed and the queue is empty.</summary>
    public bool TryTake(out T item, CancellationToken cancellation)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed)
            {
                cancellation.ThrowIfCancellationRequested();
                Monitor.Wait(_items, 100);
            }
            if (_items.Count == 0) { item = default!; return false; }
            item = _items.Dequeue();
            Monitor.PulseAll(_items);
            return true;
        }
    }
}
