using Grpc.Core;
using Sidecar.Balance.V1;
using Sidecar.Engine.Policies.OpenRouter;
using Sidecar.Engine.State.Accounts;
using Sidecar.Host.Logging;

namespace Sidecar.Host.Balance;

/// <summary>
/// The billing system's side of the sidecar: a bidirectional stream of balance updates, each answered
/// in order with an ack, and a unary call reporting one account's state.
/// </summary>
internal sealed class BalanceGrpcService(
    AccountTable accounts,
    OpenRouterPolicy policy,
    TimeProvider timeProvider,
    BearerTokenAuthenticator authenticator,
    ILogger<BalanceGrpcService> logger) : BalanceService.BalanceServiceBase
{
    /// <inheritdoc />
    public override async Task StreamBalances(IAsyncStreamReader<BalanceUpdate> requestStream, IServerStreamWriter<BalanceAck> responseStream, ServerCallContext context)
    {
        authenticator.Authenticate(context);
        SidecarLog.BalanceStreamOpened(logger, context.Peer);
        long updates = 0;
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                updates++;
                await responseStream.WriteAsync(Apply(requestStream.Current), context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            SidecarLog.BalanceStreamClosed(logger, context.Peer, updates);
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

    private BalanceAck Apply(BalanceUpdate update)
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
            return ack;
        }

        var outcome = accounts.Apply(update.AccountId, balance, out var version);
        SidecarLog.BalanceUpdateApplied(logger, update.Sequence, update.AccountId, outcome, version);
        ack.Outcome = outcome switch
        {
            BalanceUpdateOutcome.Applied => BalanceAck.Types.Outcome.Applied,
            BalanceUpdateOutcome.Duplicate => BalanceAck.Types.Outcome.Duplicate,
            _ => BalanceAck.Types.Outcome.Stale,
        };
        ack.VersionInForce = version;
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
