using Sidecar.StorageBench;

// Measures the stores: one command per run, each printing its resolved command line and a Markdown table.
const string Usage = """
    usage: Sidecar.StorageBench <command> [options]
      acks      [--streams 1] [--updates 200000] [--accounts 10000] [--in-flight 1000] [--batch 1] [--memory] [--redis HOST:PORT] [--dir PATH]
                balance updates through a real sidecar's StreamBalances (StreamBalanceBatches with --batch above 1), acked once durable
      recovery  [--accounts 1000000] [--keep] [--dir PATH]
                directory size and recovery time, from a snapshot and from the journal alone (--keep: leave the snapshot's directory)
      journal   [--updates 200000] [--accounts 10000] [--in-flight 1000] [--dir PATH]
                the acks workload straight against the disk store, 1 and 4 writer threads
      sqlite    [--updates 200000] [--accounts 10000] [--batch 1000] [--dir PATH]
                the same workload as SQLite upserts (WAL, synchronous=FULL), 1 and 4 writer threads
      propagation --redis HOST:PORT [--updates 2000]
                two sidecars on one running Redis: send to ack on the first, ack to in force on the second
    --dir: where each run's fresh directory is made (default: the system temp directory).
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    var arguments = new BenchArguments(args[0], args[1..]);
    await (args[0] switch
    {
        "acks" => AcksCommand.RunAsync(arguments),
        "recovery" => RecoveryCommand.RunAsync(arguments),
        "journal" => JournalCommand.RunAsync(arguments),
        "sqlite" => SqliteCommand.RunAsync(arguments),
        "propagation" => PropagationCommand.RunAsync(arguments),
        _ => throw new ArgumentException($"Unknown command '{args[0]}'."),
    });
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
