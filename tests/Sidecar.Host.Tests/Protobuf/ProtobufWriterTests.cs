using Envoy.Service.Ratelimit.V3;
using Sidecar.Host.Protobuf;

namespace Sidecar.Host.Tests.Protobuf;

/// <summary>Nested messages of any length get the right length prefix.</summary>
public sealed class ProtobufWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(20_000)]
    public void EndMessage_NameOfLength_ParsesBack(int length)
    {
        // Arrange
        var writer = new ProtobufWriter();
        var name = new string('n', length);

        // Act: a DescriptorStatus (field 2) holding a RateLimit (field 2) whose name is field 3.
        writer.WriteVarintField(1, 2);
        var status = writer.BeginMessage(2);
        writer.WriteVarintField(1, 2);
        var limit = writer.BeginMessage(2);
        writer.WriteVarintField(1, 7);
        writer.WriteBytesField(3, System.Text.Encoding.UTF8.GetBytes(name));
        writer.EndMessage(limit);
        writer.WriteVarintField(3, 5);
        writer.EndMessage(status);
        writer.WriteDecimalField(5, ulong.MaxValue);

        // Assert
        var parsed = RateLimitResponse.Parser.ParseFrom(writer.Written.ToArray());
        Assert.Equal(RateLimitResponse.Types.Code.OverLimit, parsed.OverallCode);
        var parsedStatus = Assert.Single(parsed.Statuses);
        Assert.Equal(RateLimitResponse.Types.Code.OverLimit, parsedStatus.Code);
        Assert.Equal(7u, parsedStatus.CurrentLimit.RequestsPerUnit);
        Assert.Equal(name, parsedStatus.CurrentLimit.Name);
        Assert.Equal(5u, parsedStatus.LimitRemaining);
        Assert.Equal(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), parsed.RawBody.ToStringUtf8());
    }
}
