namespace CloudIdentity.Engine.Reading;

/// <summary>
/// Reads several files at once on worker threads and hands their items back in file order, so output is the same
/// as a sequential read. Each file's queue is bounded, which bounds memory whatever the input size.
/// </summary>
public sealed class ParallelFileReader
{
    private const int BatchSize = 256;
    private const int QueueBatches = 16;
    private readonly EventReader _reader;
    private readonly int _degree;

    public ParallelFileReader(EventReader reader, int degree)
    {
        _reader = reader;
        _degree = Math.Max(1, degree);
    }

    public IEnumerable<ReadItem> Read(IReadOnlyList<string> files, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pending = new Queue<(BatchQueue<ReadItem[]> Queue, Task Worker)>();
        int next = 0;
        void StartNext()
        {
            if (next >= files.Count) return;
            var path = files[next++];
            var queue = new BatchQueue<ReadItem[]>(QueueBatches);
            var worker = Task.Run(() => Produce(path, queue, linked.Token));
            pending.Enqueue((queue, worker));
        }
        try
        {
            for (int i = 0; i < _degree; i++) StartNext();
            while (pending.Count > 0)
            {
                var (queue, _) = pending.Dequeue();
                while (queue.TryTake(out var batch, cancellation))
                {
                    foreach (var item in batch) yield return item;
                }
                StartNext();
            }
        }
        finally
        {
            linked.Cancel();
            while (pending.Count > 0)
            {
                var (queue, worker) = pending.Dequeue();
                try { worker.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            }
        }
    }

    private void Produce(string path, BatchQueue<ReadItem[]> queue, CancellationToken cancellation)
    {
        var batch = new List<ReadItem>(BatchSize);
        try
        {
            foreach (var item in _reader.ReadFile(path, cancellation))
            {
                batch.Add(item);
                if (batch.Count == BatchSize)
                {
                    queue.Add(batch.ToArray(), cancellation);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            // Never lose a file silently: an unexpected failure becomes a problem item for that file.
            batch.Add(ReadItem.Of(new ReadProblem("LogFileReadFailed", ProblemSeverity.Error, path, null, null, e.Message, ProblemCategory.ReadError)));
        }
        finally
        {
            try
            {
                if (batch.Count > 0 && !cancellation.IsCancellationRequested) queue.Add(batch.ToArray(), cancellation);
            }
            catch (OperationCanceledException) { }
            queue.Complete();
        }
    }
}
