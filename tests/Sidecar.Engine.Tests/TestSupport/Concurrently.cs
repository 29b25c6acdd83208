using System.Collections.Concurrent;

namespace Sidecar.Engine.Tests.TestSupport;

/// <summary>Runs the same attempt on several dedicated threads released together by a <see cref="Barrier"/>.</summary>
internal static class Concurrently
{
    private static readonly TimeSpan JoinGuard = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="body"/> on <paramref name="threads"/> threads released together, passing each its index.</summary>
    public static void Run(int threads, Action<int> body)
    {
        var next = -1;
        CountSuccesses(threads, 1, () =>
        {
            body(Interlocked.Increment(ref next));
            return true;
        });
    }

    /// <summary>
    /// Starts <paramref name="threads"/> threads that each make <paramref name="attemptsPerThread"/> attempts once all
    /// are ready; returns how many attempts succeeded in total.
    /// </summary>
    public static int CountSuccesses(int threads, int attemptsPerThread, Func<bool> attempt)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var barrier = new Barrier(threads);
        var succeeded = 0;
        var failures = new ConcurrentQueue<Exception>();
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait(cancellation);
                    var local = 0;
                    for (var i = 0; i < attemptsPerThread; i++)
                    {
                        if (attempt())
                        {
                            local++;
                        }
                    }

                    Interlocked.Add(ref succeeded, local);
                }
#pragma warning disable CA1031 // Any failure on a worker is reported on the test thread.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failures.Enqueue(exception);
                }
            })
            {
                IsBackground = true,
            };
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            if (!worker.Join(JoinGuard))
            {
                throw new TimeoutException("A worker thread did not finish.");
            }
        }

        if (!failures.IsEmpty)
        {
            throw new AggregateException(failures);
        }

        return succeeded;
    }
}
