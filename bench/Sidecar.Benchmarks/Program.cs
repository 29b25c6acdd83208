using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Sidecar.Benchmarks;

if (args is ["--account-memory"])
{
    AccountMemory.Run();
    return;
}

// Min and median next to the mean: on a shared 2-vCPU machine the other tenants' work inflates the mean.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Min, StatisticColumn.Median);
BenchmarkSwitcher.FromAssembly(typeof(AccountMemory).Assembly).Run(args, config);
