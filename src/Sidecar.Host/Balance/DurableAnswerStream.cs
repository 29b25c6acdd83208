using System.Threading.Channels;
using Grpc.Core;

namespace Sidecar.Host.Balance;

/// <summary>
/// Runs one balance stream: reads messages ahead, applies each as it arrives (the store takes them in
/// that order), and writes the answers in order, each once the store has made what it answers durable.
/// So a sender that keeps several messages in flight has them share one flush (the disk store's group
/// commit, or Redis's pipeline) instead of waiting a flush per message, and answers that are ready
/// together go out in one network write.
/// </summary>
internal static class DurableAnswerStream
{
    /// <summary>Messages applied ahead of their answers; a sender further ahead waits.</summary>
    private const int MaxUnanswered = 4096;

    private static readonly WriteOptions s_moreToCome = new(WriteFlags.BufferHint);

    /// <summary>Runs the stream until the sender completes it.</summary>
    /// <exception cref="Sidecar.Storage.StorageException">The store could not make a message durable; the stream must end, and the sender send again what it has no answer for.</exception>
    /// <param name="requests">The messages.</param>
    /// <param name="answers">Where the answers go.</param>
    /// <param name="apply">Applies one message (the store takes it now) and returns what its answer waits for.</param>
    /// <param name="answer">The answer of an applied message, once the store has made it durable; called in order.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    public static async Task RunAsync<TRequest, TPending, TAnswer>(
        IAsyncStreamReader<TRequest> requests,
        IServerStreamWriter<TAnswer> answers,
        Func<TRequest, TPending> apply,
        Func<TPending, ValueTask<TAnswer>> answer,
        CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<TPending>(new BoundedChannelOptions(MaxUnanswered) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteAsync(pending.Reader, answers, answer, stop);
        try
        {
            while (await requests.MoveNext(stop.Token).ConfigureAwait(false))
            {
                await pending.Writer.WriteAsync(apply(requests.Current), stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (writing.IsFaulted)
        {
            // The answers failed first; their failure is the stream's.
        }
        catch
        {
            // Reading or applying failed (the client went away, the store closed): stop the answers too,
            // so nothing writes to the call once it has ended.
            pending.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        finally
        {
            pending.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);
    }

    /// <summary>
    /// Writes each answer once it is durable, in order (asking only then, so that most find their flush
    /// done); buffers an answer when another is already waiting behind it.
    /// </summary>
    private static async Task WriteAsync<TPending, TAnswer>(ChannelReader<TPending> pending, IServerStreamWriter<TAnswer> output, Func<TPending, ValueTask<TAnswer>> answerOf, CancellationTokenSource stop)
    {
        try
        {
            while (await pending.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (pending.TryRead(out var applied))
                {
                    var answer = await answerOf(applied).ConfigureAwait(false);
                    output.WriteOptions = pending.Count > 0 ? s_moreToCome : null;
                    await output.WriteAsync(answer, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
