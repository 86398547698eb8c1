using System.Diagnostics;
using CloudIdentity.Engine.Detection;
using CloudIdentity.Engine.Reading;

// Usage: EngineBench <folder> [sequential|parallel] [detect]
var folder = args[0];
var mode = args.Length > 1 ? args[1] : "parallel";
var detect = args.Contains("detect");
var files = Directory.EnumerateFiles(folder, "*.gz", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
var reader = new EventReader(new ReadOptions());
var engine = new DetectionEngine(BuiltInRules.Rules);
var sw = Stopwatch.StartNew();
long events = 0, findings = 0, problems = 0;
IEnumerable<ReadItem> items = mode == "sequential"
    ? files.SelectMany(f => reader.ReadFile(f))
    : new ParallelFileReader(reader, Math.Min(4, Environment.ProcessorCount)).Read(files, CancellationToken.None);
foreach (var item in items)
{
    if (item.Event is { } e)
    {
        events++;
        if (detect) findings += engine.Evaluate(e).Count;
    }
    else if (item.Problem is not null) problems++;
}
sw.Stop();
Console.WriteLine($"{{\"Mode\":\"{mode}\",\"Detect\":{detect.ToString().ToLowerInvariant()},\"Seconds\":{sw.Elapsed.TotalSeconds:F3},\"Events\":{events},\"Findings\":{findings},\"Problems\":{problems},\"PeakMB\":{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}}}");
