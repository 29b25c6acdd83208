using System.Globalization;
using Sidecar.LoadTest.FirstCall;
using Sidecar.LoadTest.Fleet;
using Sidecar.LoadTest.Flood;
using Sidecar.LoadTest.Options;
using Sidecar.LoadTest.Report;
using Sidecar.LoadTest.Run;
using Sidecar.LoadTest.Servers;

// The servers and the redis-server this tool starts end with it, even when it is interrupted.
using var killChildrenOnSignals = ChildProcesses.KillOnSignals();
LoadTestOptions? options;
try
{
    switch (args)
    {
        case ["flood", .. var floodArgs]:
            return await FloodCommand.RunAsync(floodArgs);
        case ["first-call", .. var firstCallArgs]:
            return await FirstCallCommand.RunAsync(firstCallArgs);
        case ["fleet", .. var fleetArgs]:
            return await FleetCommand.RunAsync(fleetArgs);
    }

    options = CommandLine.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (options is null)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var placement = CpuPlacement.Resolve(options.ServerCpus, options.ClientCpus);
placement.PinLoadTool();
var runner = new ComparisonRunner(options, new ServerLauncher(ServerBinaries.Locate(options), placement), placement);
var started = DateTimeOffset.UtcNow;
var results = await runner.RunAsync();

var header = string.Join(Environment.NewLine,
    $"{started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min; .NET {Environment.Version}; {Environment.OSVersion}",
    runner.LoadDescription,
    "command: Sidecar.LoadTest " + string.Join(' ', args));
Console.WriteLine(ResultsReport.Render(results, header, options.Markdown));
return 0;
