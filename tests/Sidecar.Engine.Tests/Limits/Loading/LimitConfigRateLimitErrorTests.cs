namespace Sidecar.Engine.Tests.Limits.Loading;

/// <summary>Problems of <c>rate_limit</c> maps and <c>rate_limits</c> lists.</summary>
public sealed class LimitConfigRateLimitErrorTests
{
    [Theory]
    [InlineData("rate-limit-not-map", 4, "'rate_limit' must be a map")]
    [InlineData("unknown-rate-limit-key", 6, "unknown key 'requests_per_second'")]
    [InlineData("invalid-unit", 6, "invalid rate limit unit 'fortnight' (expected second, minute, hour, day, week, month or year)")]
    [InlineData("missing-unit", 5, "rate limit has no unit")]
    [InlineData("empty-unit", 6, "rate limit has no unit")]
    [InlineData("unlimited-with-unit", 6, "unlimited limit must not have a unit")]
    [InlineData("unlimited-with-algorithm", 6, "unlimited limit must not have an algorithm")]
    [InlineData("invalid-algorithm", 7, "invalid rate limit algorithm 'leaky_bucket' (expected fixed_window, sliding_window or token_bucket)")]
    [InlineData("count-over-limit-unlimited", 6, "unlimited limit must not have count_over_limit")]
    [InlineData("count-over-limit-bucket", 8, "count_over_limit needs a window (fixed_window or sliding_window): a token bucket cannot owe more than it holds")]
    [InlineData("count-over-limit-not-bool", 7, "'count_over_limit' must be true or false, not 'yes'")]
    [InlineData("replaces-self", 10, "replaces must not name the limit itself")]
    [InlineData("replaces-empty-name", 9, "replaces entry has no name")]
    [InlineData("replaces-missing-name", 8, "replaces entry has no name")]
    [InlineData("replaces-not-map", 8, "a replaces entry must be a map with a name")]
    [InlineData("rate-limits-entry-not-map", 5, "a rate_limits entry must be a map")]
    [InlineData("rate-limits-unlimited-mixed", 7, "an unlimited limit must be the only limit of its descriptor")]
    [InlineData("rate-limits-same-unit-algorithm", 9, "a second fixed_window limit per minute on one descriptor (the first at line 5): the two would share one counter")]
    public void LoadDirectory_RateLimitProblem_ReportsFileLineAndReason(string configCase, int line, string reason)
    {
        // Arrange
        // Act
        var errors = ConfigCases.LoadErrors(configCase);

        // Assert
        Assert.Equal([ConfigCases.Error(configCase, "limits.yaml", line, reason)], errors);
    }
}
