using BenchmarkDotNet.Running;
using Sidecar.Host.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(ShouldRateLimitPathBenchmarks).Assembly).Run(args);
