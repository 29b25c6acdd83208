using BenchmarkDotNet.Running;
using Sidecar.Benchmarks;

if (args is ["--account-memory"])
{
    AccountMemory.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AccountMemory).Assembly).Run(args);
