using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Logging;
using Sidecar.Host.Metrics;
using Sidecar.Storage;

namespace Sidecar.Host.Balance;

/// <summary>
/// The billing system's side of the sidecar: streams of balance updates, one per message or many,
/// each answered in order once durable (<see cref="DurableAnswerStream"/>), and a unary call
/// reporting one account's state. Calls reach it authenticated (<see cref="BalanceAuthenticationMiddleware"/>).
/// When the store cannot make an update durable (a full disk), the stream ends with UNAVAILABLE and
/// the sender sends again what it has no ack for.
/// </summary>
internal sealed class BalanceGrpcService(
    IStateStore store,
    AccountTable accounts,
    OpenRouterPolicy policy,
    TimeProvider timeProvider,
    BalanceUpdateCounts counts,
    ILogger<BalanceGrpcService> logger)
{
    /// <summary>A stream of updates, one per message, each answered in order once durable.</summary>
    public Task StreamBalances(IAsyncStreamReader<IncomingUpdate> requestStream, IServerStreamWriter<BalanceAck> responseStream, ServerCallContext context)
    {
        long updates = 0;
        return RunAsync(requestStream, responseStream, context, update =>
        {
            updates++;
            return Apply(update);
        }, AnswerOf, () => updates);
    }

    /// <summary>A stream of batches of updates, each batch answered in order once all of it is durable.</summary>
    public Task StreamBalanceBatches(IAsyncStreamReader<IncomingBatch> requestStream, IServerStreamWriter<BalanceAckBatch> responseStream, ServerCallContext context)
    {
        long updates = 0;
        return RunAsync(requestStream, responseStream, context, batch =>
        {
            var applied = new PendingAck[batch.Updates.Count];
            for (var i = 0; i < applied.Length; i++)
            {
                updates++;
                applied[i] = Apply(batch.Updates[i]);
            }

            return applied;
        }, AnswerOfBatch, () => updates);
    }

    private async Task RunAsync<TRequest, TPending, TAnswer>(
        IAsyncStreamReader<TRequest> requests,
        IServerStreamWriter<TAnswer> answers,
        ServerCallContext context,
        Func<TRequest, TPending> apply,
        Func<TPending, ValueTask<TAnswer>> answer,
        Func<long> updates)
    {
        SidecarLog.BalanceStreamOpened(logger, context.Peer);
        try
        {
            await DurableAnswerStream.RunAsync(requests, answers, apply, answer, context.CancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            SidecarLog.BalanceNotDurable(logger, context.Peer, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
        finally
        {
            SidecarLog.BalanceStreamClosed(logger, context.Peer, updates());
        }
    }

    /// <summary>One account's state, for operators.</summary>
    public Task<AccountState> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        if (request.AccountId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "account_id must not be empty"));
        }

        return Task.FromResult(ToState(policy.Describe(request.AccountId, timeProvider)));
    }

    /// <summary>An operator's reset of an account's version (the middleware checked the operator token): durable before it answers.</summary>
    public async Task<AccountState> ResetAccountVersion(ResetAccountVersionRequest request, ServerCallContext context)
    {
        if (request.AccountId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "account_id must not be empty"));
        }

        try
        {
            if (!await store.ResetVersionAsync(request.AccountId).ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"account '{request.AccountId}' holds no balance: there is no version to reset"));
            }
        }
        catch (StorageException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }

        SidecarLog.AccountVersionReset(logger, request.AccountId, context.Peer);
        return ToState(policy.Describe(request.AccountId, timeProvider));
    }

    /// <summary>Validates one update and hands it to the store; its ack is completed by <see cref="AnswerOf"/>.</summary>
    private PendingAck Apply(IncomingUpdate incoming)
    {
        if (incoming.Update is not { } update)
        {
            // Did not parse: answered like any bad update, and the stream goes on.
            SidecarLog.BalanceUpdateRejected(logger, incoming.Sequence, string.Empty, "update", incoming.Problem!);
            counts.Count(BalanceUpdateCounts.Outcome.Rejected);
            return new PendingAck(new BalanceAck
            {
                Sequence = incoming.Sequence,
                Outcome = BalanceAck.Types.Outcome.Rejected,
                Error = new UpdateError { Field = "update", Message = incoming.Problem },
            }, null, default);
        }

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
            counts.Count(BalanceUpdateCounts.Outcome.Rejected);
            ack.Outcome = BalanceAck.Types.Outcome.Rejected;
            ack.Error = new UpdateError { Field = error.Field, Message = error.Message };
            ack.VersionInForce = accounts.VersionOf(update.AccountId);
            return new PendingAck(ack, null, default);
        }

        return new PendingAck(ack, update, store.ApplyBalance(update.AccountId, balance));
    }

    /// <summary>The ack of <paramref name="pending"/>, once the store has made its update durable.</summary>
    private ValueTask<BalanceAck> AnswerOf(PendingAck pending)
    {
        if (pending.Update is not { } update)
        {
            return ValueTask.FromResult(pending.Ack);
        }

        var durable = store.WhenDurable(pending.Ticket);
        return durable.IsCompletedSuccessfully
            ? ValueTask.FromResult(Answer(pending.Ack, update, durable.Result))
            : AnswerAsync(pending.Ack, update, durable);
    }

    private async ValueTask<BalanceAck> AnswerAsync(BalanceAck ack, BalanceUpdate update, ValueTask<BalanceResult> durable)
        => Answer(ack, update, await durable.ConfigureAwait(false));

    /// <summary>The answer of a batch: every update's ack, in order, once all of them are durable.</summary>
    private ValueTask<BalanceAckBatch> AnswerOfBatch(PendingAck[] applied)
    {
        var batch = new BalanceAckBatch();
        for (var i = 0; i < applied.Length; i++)
        {
            var ack = AnswerOf(applied[i]);
            if (!ack.IsCompletedSuccessfully)
            {
                return AnswerOfBatchAsync(batch, applied, i, ack);
            }

            batch.Acks.Add(ack.Result);
        }

        return ValueTask.FromResult(batch);
    }

    /// <summary>The rest of <see cref="AnswerOfBatch"/> from the first ack that had to wait, <paramref name="waiting"/> for update <paramref name="from"/>.</summary>
    private async ValueTask<BalanceAckBatch> AnswerOfBatchAsync(BalanceAckBatch batch, PendingAck[] applied, int from, ValueTask<BalanceAck> waiting)
    {
        batch.Acks.Add(await waiting.ConfigureAwait(false));
        for (var i = from + 1; i < applied.Length; i++)
        {
            batch.Acks.Add(await AnswerOf(applied[i]).ConfigureAwait(false));
        }

        return batch;
    }

    /// <summary>Fills <paramref name="ack"/> with what became of <paramref name="update"/>.</summary>
    private BalanceAck Answer(BalanceAck ack, BalanceUpdate update, BalanceResult commit)
    {
        SidecarLog.BalanceUpdateApplied(logger, update.Sequence, update.AccountId, commit.Outcome, commit.VersionInForce);
        ack.Outcome = commit.Outcome switch
        {
            BalanceUpdateOutcome.Applied => BalanceAck.Types.Outcome.Applied,
            BalanceUpdateOutcome.Duplicate => BalanceAck.Types.Outcome.Duplicate,
            BalanceUpdateOutcome.Stale => BalanceAck.Types.Outcome.Stale,
            _ => BalanceAck.Types.Outcome.Rejected,
        };
        counts.Count(ack.Outcome switch
        {
            BalanceAck.Types.Outcome.Applied => BalanceUpdateCounts.Outcome.Applied,
            BalanceAck.Types.Outcome.Duplicate => BalanceUpdateCounts.Outcome.Duplicate,
            BalanceAck.Types.Outcome.Stale => BalanceUpdateCounts.Outcome.Stale,
            _ => BalanceUpdateCounts.Outcome.Rejected,
        });
        if (commit.Outcome == BalanceUpdateOutcome.Conflict)
        {
            // Two updates of one version that differ: the sender's bug, named rather than hidden as DUPLICATE.
            ack.Error = new UpdateError { Field = "version", Message = $"version {update.Version} is in force with other content; a changed state needs a new version" };
            SidecarLog.BalanceUpdateRejected(logger, update.Sequence, update.AccountId, ack.Error.Field, ack.Error.Message);
        }

        ack.VersionInForce = commit.VersionInForce;
        return ack;
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
            SharesOverflow = report.SharesOverflow,
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

    private static string UnitName(LimitUnit unit) => unit switch
    {
        LimitUnit.Second => "second",
        LimitUnit.Minute => "minute",
        LimitUnit.Hour => "hour",
        LimitUnit.Day => "day",
        _ => "none",
    };
}
