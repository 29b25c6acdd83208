using System.Runtime.ExceptionServices;

namespace Sidecar.Host.Limits;

/// <summary>
/// Runs a reload of the limits on a thread of its own, below normal priority, and waits for it: the
/// load's seconds of parsing take no thread-pool thread from the decisions (the waiting caller is
/// one the pool makes up for), and under contention the decisions' threads run first.
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
