namespace Sidecar.Engine.Policies.OpenRouter;

/// <summary>
/// The entries of an OpenRouter descriptor: exactly <c>account</c> and <c>model</c>, optionally
/// <c>key</c>, each once, in any order. Anything else is not an OpenRouter descriptor.
/// </summary>
internal readonly ref struct OpenRouterDescriptor
{
    public const string AccountKey = "account";
    public const string ModelKey = "model";
    public const string ApiKeyKey = "key";

    private OpenRouterDescriptor(ReadOnlySpan<char> account, ReadOnlySpan<char> model, byte accountEntry)
    {
        Account = account;
        Model = model;
        AccountEntry = accountEntry;
    }

    /// <summary>The account id.</summary>
    public ReadOnlySpan<char> Account { get; }

    /// <summary>The model id.</summary>
    public ReadOnlySpan<char> Model { get; }

    /// <summary>The position of the <c>account</c> entry in the descriptor.</summary>
    public byte AccountEntry { get; }

    /// <summary>Reads descriptor <paramref name="index"/> of <paramref name="request"/>.</summary>
    public static bool TryRead<TRequest>(ref TRequest request, int index, out OpenRouterDescriptor descriptor)
        where TRequest : IRateLimitRequest, allows ref struct
    {
        descriptor = default;
        var count = request.EntryCount(index);
        if (count is < 2 or > 3)
        {
            return false;
        }

        ReadOnlySpan<char> account = default, model = default;
        byte accountEntry = 0;
        bool hasAccount = false, hasModel = false, hasKey = false;
        for (var i = 0; i < count; i++)
        {
            var key = request.Key(index, i);
            if (key.SequenceEqual(AccountKey) && !hasAccount)
            {
                account = request.Value(index, i);
                accountEntry = (byte)i;
                hasAccount = true;
            }
            else if (key.SequenceEqual(ModelKey) && !hasModel)
            {
                model = request.Value(index, i);
                hasModel = true;
            }
            else if (key.SequenceEqual(ApiKeyKey) && !hasKey)
            {
                hasKey = true;
            }
            else
            {
                return false;
            }
        }

        if (!hasAccount || !hasModel || account.IsEmpty || model.IsEmpty)
        {
            return false;
        }

        descriptor = new OpenRouterDescriptor(account, model, accountEntry);
        return true;
    }
}
