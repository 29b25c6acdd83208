using System.Threading.Channels;
using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Logging;
using Sidecar.Storage;

namespace Sidecar.Host.Balance;

/// <summary>
/// The billing system's side of the sidecar: a bidirectional stream of balance updates, each answered
/// in order with an ack, and a unary call reporting one account's state.
/// </summary>
/// <remarks>
/// A stream reads ahead: each update is validated and applied through the store as it arrives, and
/// its ack waits in order until the store has made the update durable. So a sender that keeps
/// several updates in flight has them share one flush (the store's group commit) instead of waiting
/// a flush per update; acks that are ready together go out in one network write. When the store
/// cannot make an update durable (a full disk), the stream ends with UNAVAILABLE and the sender
/// sends again what it has no ack for.
/// </remarks>
internal sealed class BalanceGrpcService(
    IStateStore store,
    AccountTable accounts,
    OpenRouterPolicy policy,
    TimeProvider timeProvider,
    BearerTokenAuthenticator authenticator,
    ILogger<BalanceGrpcService> logger) : BalanceService.BalanceServiceBase
{
    /// <summary>Updates a stream applies ahead of their acks; a sender further ahead waits.</summary>
    private const int MaxUnacknowledged = 4096;

    private static readonly WriteOptions s_moreToCome = new(WriteFlags.BufferHint);

    /// <inheritdoc />
    public override async Task StreamBalances(IAsyncStreamReader<BalanceUpdate> requestStream, IServerStreamWriter<BalanceAck> responseStream, ServerCallContext context)
    {
        authenticator.Authenticate(context);
        SidecarLog.BalanceStreamOpened(logger, context.Peer);
        var pending = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(MaxUnacknowledged) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var writing = WriteAcksAsync(pending.Reader, responseStream, stop);
        long updates = 0;
        try
        {
            try
            {
                while (await requestStream.MoveNext(stop.Token).ConfigureAwait(false))
                {
                    updates++;
                    await pending.Writer.WriteAsync(Apply(requestStream.Current), stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (writing.IsFaulted)
            {
                // The acks failed first; their failure is the stream's.
            }
            finally
            {
                pending.Writer.TryComplete();
            }

            await writing.ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            SidecarLog.BalanceNotDurable(logger, context.Peer, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
        finally
        {
            SidecarLog.BalanceStreamClosed(logger, context.Peer, updates);
        }
    }

    /// <summary>Writes each ack once its update is durable, in order; buffers an ack when another is already waiting behind it.</summary>
    private async Task WriteAcksAsync(ChannelReader<PendingAck> pending, IServerStreamWriter<BalanceAck> output, CancellationTokenSource stop)
    {
        try
        {
            while (await pending.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (pending.TryRead(out var ack))
                {
                    if (ack.DurablePosition > 0)
                    {
                        await store.WhenDurable(ack.DurablePosition).ConfigureAwait(false);
                    }

                    output.WriteOptions = pending.Count > 0 ? s_moreToCome : null;
                    await output.WriteAsync(ack.Ack, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public override Task<AccountState> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        authenticator.Authenticate(context);
        if (request.AccountId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "account_id must not be empty"));
        }

        return Task.FromResult(ToState(policy.Describe(request.AccountId, timeProvider)));
    }

    /// <summary>Validates and applies one update through the store; the ack waits for the position it returns.</summary>
    private PendingAck Apply(BalanceUpdate update)
    {
        var balance = new AccountBalance(
            update.BalanceMicros,
            update.PurchasedMicros,
            update.HasMaxRequestsPerSecond ? update.MaxRequestsPerSecond : null,
            update.Version);
        var ack = new BalanceAck { Sequence = update.Sequence, AccountId = update.AccountId };
        var error = BalanceUpdateValidator.Validate(update.AccountId, balance);
        if (error is not null)
        {
            SidecarLog.BalanceUpdateRejected(logger, update.Sequence, update.AccountId, error.Field, error.Message);
            ack.Outcome = BalanceAck.Types.Outcome.Rejected;
            ack.Error = new UpdateError { Field = error.Field, Message = error.Message };
            ack.VersionInForce = accounts.VersionOf(update.AccountId);
            return new PendingAck(ack, 0);
        }

        var commit = store.ApplyBalance(update.AccountId, balance);
        SidecarLog.BalanceUpdateApplied(logger, update.Sequence, update.AccountId, commit.Outcome, commit.VersionInForce);
        ack.Outcome = commit.Outcome switch
        {
            BalanceUpdateOutcome.Applied => BalanceAck.Types.Outcome.Applied,
            BalanceUpdateOutcome.Duplicate => BalanceAck.Types.Outcome.Duplicate,
            _ => BalanceAck.Types.Outcome.Stale,
        };
        ack.VersionInForce = commit.VersionInForce;
        return new PendingAck(ack, commit.DurablePosition);
    }

    private static AccountState ToState(AccountReport report)
    {
        var state = new AccountState
        {
            AccountId = report.AccountId,
            Known = report.Known,
            BalanceMicros = report.Balance.BalanceMicros,
            PurchasedMicros = report.Balance.PurchasedMicros,
            MaxRequestsPerSecond = report.MaxRequestsPerSecond,
            Version = report.Balance.Version,
            Tier = report.Credited ? "free-models-credited" : "free-models-base",
            InsufficientCredits = report.InsufficientCredits,
            Restored = report.Restored,
        };
        foreach (var limit in report.Limits)
        {
            state.Limits.Add(new LimitState
            {
                Name = LimitNames.Of(limit.Kind),
                RequestsPerUnit = limit.RequestsPerUnit,
                Unit = UnitName(limit.Unit),
                Used = limit.Used,
                Remaining = limit.Remaining,
                ResetUnixMs = limit.ResetUnixMilliseconds,
            });
        }

        return state;
    }

    /// <summary>An ack waiting for the store to make its update durable up to <paramref name="DurablePosition"/> (0: nothing to wait for).</summary>
    private readonly record struct PendingAck(BalanceAck Ack, long DurablePosition);

    private static string UnitName(LimitUnit unit) => unit switch
    {
        LimitUnit.Second => "second",
        LimitUnit.Minute => "minute",
        LimitUnit.Hour => "hour",
        LimitUnit.Day => "day",
        _ => "none",
    };
}
