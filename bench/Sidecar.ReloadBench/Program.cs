using System.Globalization;
using Sidecar.ReloadBench;

// Measures decisions during a reload of a large limits file, build against build, rounds interleaved.
ReloadBenchOptions? options;
try
{
    options = ReloadBenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (options is null)
{
    Console.WriteLine(ReloadBenchOptions.Usage);
    return 0;
}

var largeFile = LimitFiles.GenerateLarge(options.Descriptors);
try
{
    if (options.Phases)
    {
        Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; .NET {Environment.Version}; server GC {System.Runtime.GCSettings.IsServerGC}; {options.Descriptors} descriptors, {new FileInfo(largeFile).Length / 1e6:0.0} MB");
        Console.WriteLine("command: Sidecar.ReloadBench " + string.Join(' ', args));
        Console.WriteLine();
        Console.WriteLine(PhasesCommand.Run(largeFile, options.Rounds));
        return 0;
    }

    var mix = new RequestMix(options.Descriptors, seed: 42);
    var started = DateTimeOffset.UtcNow;
    var rounds = new List<RoundResult>();
    for (var round = 0; round < options.Rounds; round++)
    {
        foreach (var (label, path) in options.Sidecars)
        {
            Console.Error.WriteLine($"round {round + 1}/{options.Rounds}: {label} ({path})");
            rounds.Add(await ReloadRound.RunAsync(label, path, largeFile, options, mix));
        }
    }

    var header = string.Join(Environment.NewLine,
        $"{started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min; .NET {Environment.Version}; {Environment.ProcessorCount} CPUs",
        $"large file: {options.Descriptors} descriptors, {new FileInfo(largeFile).Length / 1e6:0.0} MB; calls: {options.Rate}/s from {options.Workers} paced workers on {options.Connections} connections, deadline {options.Deadline.TotalMilliseconds:0} ms, api/big/openrouter in equal shares",
        "builds: " + string.Join(", ", options.Sidecars.Select(s => $"{s.Label} = {s.Path}")),
        "command: Sidecar.ReloadBench " + string.Join(' ', args));
    Console.WriteLine(ReloadReport.Render(rounds, header));
    return 0;
}
finally
{
    Directory.Delete(Path.GetDirectoryName(largeFile)!, recursive: true);
}
