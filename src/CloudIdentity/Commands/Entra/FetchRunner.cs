using System.Management.Automation;
using CloudIdentity.Engine.Graph;
using CloudIdentity.Engine.Reading;

namespace CloudIdentity.Commands.Entra;

/// <summary>
/// Drives a fetch on the pipeline thread: events to output as they arrive, problems to errors, notes to verbose,
/// progress with counts. The fetch awaits without a synchronization context, so blocking here cannot deadlock;
/// <see cref="PSCmdlet.StopProcessing"/> cancels the token and Ctrl+C ends the wait at once.
/// </summary>
internal static class FetchRunner
{
    public static void Run(PSCmdlet cmdlet, string activity, IAsyncEnumerable<ReadItem> items, FetchStatistics stats, CancellationToken cancellation)
    {
        var progress = new ProgressRecord(2, activity, "Requesting the first page");
        var started = DateTime.UtcNow;
        var lastProgress = DateTime.MinValue;
        var e = items.GetAsyncEnumerator(cancellation);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = e.MoveNextAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                if (!more) break;
                ReadItemWriter.Write(cmdlet, e.Current);
                if (DateTime.UtcNow - lastProgress > TimeSpan.FromMilliseconds(250))
                {
                    lastProgress = DateTime.UtcNow;
                    progress.StatusDescription = $"{stats.Records:N0} records in {stats.Pages} page(s); {stats.Requests} request(s), {stats.Retries} retried";
                    cmdlet.WriteProgress(progress);
                }
            }
        }
        finally
        {
            try { e.DisposeAsync().AsTask().GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
            progress.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(progress);
        }
        var elapsed = DateTime.UtcNow - started;
        cmdlet.WriteVerbose($"{activity}: {stats.Records} record(s) in {stats.Pages} page(s), {stats.Requests} request(s), {stats.Retries} retried " +
            $"(waited {stats.RetryWait.TotalSeconds:0.#} s for retries, {stats.ThrottleWait.TotalSeconds:0.#} s for the throttle) in {elapsed.TotalSeconds:0.#} s" +
            (stats.Partial ? "; the result is partial." : "."));
    }

    public static AzureConnection RequireConnection(PSCmdlet cmdlet)
    {
        var c = AzureSession.Current;
        if (c is null)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("Not connected. Run Connect-CloudIdAzure first."),
                "AzureNotConnected", ErrorCategory.ConnectionError, null));
        }
        return c!;
    }
}
