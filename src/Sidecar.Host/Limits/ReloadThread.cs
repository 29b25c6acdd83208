using System.Runtime.ExceptionServices;

namespace Sidecar.Host.Limits;

/// <summary>
/// Runs a reload of the limits on a thread of its own and waits for it: the load's seconds of parsing
/// take no thread-pool thread from the decisions (the waiting caller is one the pool makes up for).
/// The thread asks for below-normal priority, which Windows and macOS honour and .NET on Linux
/// ignores (a nice value was tried there and gained nothing measurable, bench/RESULTS.md).
/// </summary>
internal static class ReloadThread
{
    /// <summary>Runs <paramref name="work"/> on a new thread and returns its result, or throws what it threw.</summary>
    public static T Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Sidecar limits reload",
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
        try
        {
            // Task.Wait tells the thread pool that this thread is blocked, so it adds one meanwhile.
            done.Task.Wait();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException!);
        }

        return done.Task.Result;
    }
}
