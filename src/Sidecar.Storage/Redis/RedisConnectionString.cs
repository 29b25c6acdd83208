namespace Sidecar.Storage.Redis;

/// <summary>
/// Turns what an operator gives into a StackExchange.Redis configuration string: one as it is, or a
/// URL as envoyproxy/ratelimit's <c>REDIS_URL</c> may hold one (<c>redis://[:password@]host:port</c>,
/// <c>rediss://</c> for TLS).
/// </summary>
internal static class RedisConnectionString
{
    /// <summary>The configuration string for <paramref name="value"/>.</summary>
    public static string From(string value)
    {
        if (!value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var url = new Uri(value);
        var parts = new List<string> { $"{url.Host}:{(url.IsDefaultPort ? 6379 : url.Port)}" };
        if (url.UserInfo.Length > 0)
        {
            var password = Uri.UnescapeDataString(url.UserInfo[(url.UserInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            parts.Add($"password={password}");
        }

        if (url.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase))
        {
            parts.Add("ssl=true");
        }

        return string.Join(',', parts);
    }
}
