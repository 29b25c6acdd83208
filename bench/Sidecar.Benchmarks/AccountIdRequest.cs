using Sidecar.Engine.Vocabulary;

namespace Sidecar.Benchmarks;

/// <summary>
/// A one-descriptor request whose account id is written into a reused buffer, as the host holds an id
/// it has just parsed: <c>acct-</c> and eight hex digits of an account number. Lets a benchmark decide
/// for millions of accounts without keeping millions of request strings alive.
/// </summary>
internal readonly struct AccountIdRequest(string model) : IRateLimitRequest
{
    /// <summary>Length of every id: <c>acct-</c> and eight hex digits.</summary>
    public const int IdLength = 13;

    private readonly char[] _account = "acct-00000000".ToCharArray();

    public ReadOnlySpan<char> Domain => "openrouter";

    public int DescriptorCount => 1;

    public uint Hits(int descriptor) => 1;

    /// <summary>The account id currently in the buffer.</summary>
    public ReadOnlySpan<char> Account => _account;

    public int EntryCount(int descriptor) => 2;

    public ReadOnlySpan<char> Key(int descriptor, int entry) => entry == 0 ? "account" : "model";

    public ReadOnlySpan<char> Value(int descriptor, int entry) => entry == 0 ? _account : model;

    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
    {
        (requestsPerUnit, unit) = (0, LimitUnit.None);
        return false;
    }

    /// <summary>Points the request at account number <paramref name="account"/>.</summary>
    public void SetAccount(uint account) => Format(account, _account);

    /// <summary>Writes the id of account number <paramref name="account"/> into <paramref name="destination"/> (<see cref="IdLength"/> chars).</summary>
    public static void Format(uint account, Span<char> destination)
    {
        "acct-".CopyTo(destination);
        for (var i = IdLength - 1; i >= 5; i--)
        {
            destination[i] = "0123456789abcdef"[(int)(account & 0xF)];
            account >>= 4;
        }
    }

    /// <summary>The id of account number <paramref name="account"/> as a string.</summary>
    public static string IdOf(uint account) => string.Create(IdLength, account, static (span, n) => Format(n, span));
}
