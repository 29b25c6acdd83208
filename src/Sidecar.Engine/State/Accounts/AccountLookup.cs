using Sidecar.Engine.State.Sweeping;

namespace Sidecar.Engine.State.Accounts;

/// <summary>One account id's lookup in an <see cref="AccountTable"/>, for counting that survives the sweeper.</summary>
internal readonly ref struct AccountLookup : ISweptLookup<AccountEntry>
{
    private readonly AccountTable _table;
    private readonly ReadOnlySpan<char> _accountId;

    public AccountLookup(AccountTable table, ReadOnlySpan<char> accountId)
    {
        _table = table;
        _accountId = accountId;
    }

    /// <inheritdoc />
    public bool Holds(AccountEntry item) => ReferenceEquals(_table.Find(_accountId), item);

    /// <inheritdoc />
    public AccountEntry GetOrAdd() => _table.GetOrAdd(_accountId);
}
