using Sidecar.Engine.Limits.Loading;
using Sidecar.Engine.Statistics;
using Sidecar.Engine.Tests.TestSupport;
using Sidecar.Engine.Vocabulary;

namespace Sidecar.Engine.Tests.Statistics;

/// <summary>What decisions count for the metrics: rule series named as the reference names them, and requests by the limit that spoke for them.</summary>
public sealed class DecisionStatisticsTests : IDisposable
{
    private const string Rules = """
        domain: d
        descriptors:
          - key: tenant
            value_to_metric: true
            descriptors:
              - key: path
                rate_limit: { unit: minute, requests_per_unit: 10, name: tenant-path }
          - key: remote_address
            rate_limit: { unit: minute, requests_per_unit: 2, name: per-ip }
          - key: model
            value: "gpt-*"
            share_threshold: true
            detailed_metric: true
            rate_limit: { unit: minute, requests_per_unit: 100 }
          - key: host
            value: api.example.com
            rate_limit: { unit: minute, requests_per_unit: 100 }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("sidecar-statistics").FullName;
    private readonly EngineHarness _harness = new();

    public DecisionStatisticsTests()
    {
        File.WriteAllText(Path.Combine(_directory, "d.yaml"), Rules);
        _harness.Configured.Apply(LimitConfigLoader.LoadDirectory(_directory));
    }

    private LimitStatistics Statistics => _harness.Configured.Statistics;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Decide_ValueToMetricOnTheFirstLevel_LabelsItsValueAndTheDeclaredSecond()
    {
        // Act
        _harness.Decide("d", Descriptor.Of(("tenant", "acme"), ("path", "/v1/chat")));
        _harness.Decide("d", Descriptor.Of(("tenant", "acme"), ("path", "/v1/embeddings")));

        // Assert: one series for both paths, which the rule does not name.
        var series = Assert.Single(Statistics.Rules);
        Assert.Equal(("d", "tenant_acme", "path"), (series.Domain, series.Key1, series.Key2));
        Assert.Equal(2, series.Read().WithinLimit);
    }

    [Fact]
    public void Decide_ShareThresholdWithDetailedMetric_LabelsThePatternNotTheValue()
    {
        // Act
        _harness.Decide("d", Descriptor.Of(("model", "gpt-4.1")));
        _harness.Decide("d", Descriptor.Of(("model", "gpt-5")));

        // Assert
        var series = Assert.Single(Statistics.Rules);
        Assert.Equal(("model_gpt-*", (string?)null), (series.Key1, series.Key2));
        Assert.Equal(2, series.Read().TotalHits);
    }

    [Fact]
    public void Decide_DeclaredValueWithDots_DotsLabelledAsUnderscores()
    {
        // Act
        _harness.Decide("d", Descriptor.Of(("host", "api.example.com")));

        // Assert
        Assert.Equal("host_api_example_com", Assert.Single(Statistics.Rules).Key1);
    }

    [Fact]
    public void Decide_RequestRefusedByAnotherDescriptor_EachRuleCountsWhatItsDescriptorWasAnswered()
    {
        // Arrange: the per-IP limit of 2 spent.
        var ip = Descriptor.Of(("remote_address", "198.51.100.1"));
        var tenant = Descriptor.Of(("tenant", "acme"), ("path", "/x"));
        _harness.Decide("d", ip);
        _harness.Decide("d", ip);

        // Act
        var refused = _harness.Decide("d", tenant, ip);

        // Assert: as the reference, the tenant's descriptor was within its limit, the address's over.
        Assert.False(refused.IsAdmitted);
        var byKey = Statistics.Rules.ToDictionary(series => series.Key1);
        Assert.Equal(1, byKey["tenant_acme"].Read().WithinLimit);
        Assert.Equal(new RuleCounts(TotalHits: 3, OverLimit: 1, NearLimit: 1, WithinLimit: 2, ShadowMode: 0), byKey["remote_address"].Read());
        var perIp = Statistics.Limits.Single(limit => limit.Key == ("d", "per-ip")).Value;
        Assert.Equal((2L, 1L), (perIp.Read(OutcomeCounts.Outcome.Admitted), perIp.Read(OutcomeCounts.Outcome.RateLimited)));
    }

    [Fact]
    public void Decide_AfterAReload_TheSameSeriesCountsOn()
    {
        // Arrange
        var ip = Descriptor.Of(("remote_address", "198.51.100.2"));
        _harness.Decide("d", ip);

        // Act
        _harness.Configured.Apply(LimitConfigLoader.LoadDirectory(_directory));
        _harness.Decide("d", ip);

        // Assert
        Assert.Equal(2, Assert.Single(Statistics.Rules).Read().TotalHits);
    }

    [Fact]
    public void Decide_FreeModelsAndUnknownDomain_CountedByTheLimitThatSpoke()
    {
        // Act
        _harness.Free("acct-1");
        _harness.Decide("nobody-configured-this", Descriptor.Of(("k", "v")));

        // Assert
        Assert.Equal(1, _harness.Engine.OutcomesOf(LimitKind.FreePerMinute).Read(OutcomeCounts.Outcome.Admitted));
        Assert.Equal(1, _harness.Engine.OutcomesOf(LimitKind.None).Read(OutcomeCounts.Outcome.Admitted));
    }
}
