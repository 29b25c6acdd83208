using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Sidecar.Host.RateLimit.Codec;

namespace Sidecar.Host.Tests.RateLimit.Codec;

/// <summary>The hand-written request parser reads exactly what the generated protobuf parser reads.</summary>
public sealed class RateLimitRequestReaderTests
{
    private static readonly string[] s_texts = ["", "a", "account", "model", "openai/gpt-5", "meta/llama:free", "ключ", "値", "emoji-🚀", new string('x', 300)];

    [Fact]
    public void Read_RandomRequests_SameContentAsGeneratedParser()
    {
        // Arrange
        var random = new Random(20261122);
        var buffer = new RateLimitRequestBuffer();
        for (var round = 0; round < 2000; round++)
        {
            var request = RandomRequest(random);
            var bytes = request.ToByteArray();

            // Act
            var error = RateLimitRequestReader.Read(bytes, buffer);

            // Assert
            var parsed = RateLimitRequest.Parser.ParseFrom(bytes);
            if (parsed.Domain.Length == 0 || parsed.Descriptors.Count == 0)
            {
                Assert.NotNull(error);
                continue;
            }

            Assert.Null(error);
            Assert.Equal(parsed.Domain, buffer.Domain.ToString());
            Assert.Equal(parsed.HitsAddend, buffer.HitsAddend);
            Assert.Equal(parsed.Descriptors.Count, buffer.DescriptorCount);
            for (var d = 0; d < parsed.Descriptors.Count; d++)
            {
                var entries = parsed.Descriptors[d].Entries;
                Assert.Equal(entries.Count, buffer.EntryCount(d));
                for (var e = 0; e < entries.Count; e++)
                {
                    Assert.Equal(entries[e].Key, buffer.Key(d, e).ToString());
                    Assert.Equal(entries[e].Value, buffer.Value(d, e).ToString());
                }

                var limit = parsed.Descriptors[d].Limit;
                Assert.Equal(limit is not null, buffer.TryGetLimitOverride(d, out var perUnit, out var unit));
                Assert.Equal(limit?.RequestsPerUnit ?? 0, perUnit);
                Assert.Equal((int)(limit?.Unit ?? 0), (int)unit);

                var hits = parsed.Descriptors[d].HitsAddend;
                Assert.Equal(hits is not null, buffer.TryGetHitsAddend(d, out var ownHits));
                Assert.Equal(Math.Min(hits ?? 0, uint.MaxValue), ownHits);
            }
        }
    }

    [Fact]
    public void Read_UnknownFieldsEverywhere_Skipped()
    {
        // Arrange: Envoy's descriptor limit override (read), and fields no version has (skipped).
        var descriptor = new RateLimitDescriptor { Limit = new RateLimitDescriptor.Types.RateLimitOverride { RequestsPerUnit = 5, Unit = Envoy.Type.V3.RateLimitUnit.Minute } };
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "account", Value = "a1" });
        var request = new RateLimitRequest { Domain = "openrouter", HitsAddend = 3 };
        request.Descriptors.Add(descriptor);
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(9, WireFormat.WireType.Fixed64);
        output.WriteFixed64(7);
        output.WriteTag(10, WireFormat.WireType.Fixed32);
        output.WriteFixed32(7);
        output.WriteTag(11, WireFormat.WireType.LengthDelimited);
        output.WriteString("future");
        output.Flush();
        var bytes = stream.ToArray().Concat(request.ToByteArray()).ToArray();
        var buffer = new RateLimitRequestBuffer();

        // Act
        var error = RateLimitRequestReader.Read(bytes, buffer);

        // Assert
        Assert.Null(error);
        Assert.Equal("openrouter", buffer.Domain.ToString());
        Assert.Equal(3u, buffer.HitsAddend);
        Assert.Equal(1, buffer.EntryCount(0));
        Assert.Equal("a1", buffer.Value(0, 0).ToString());
        Assert.True(buffer.TryGetLimitOverride(0, out var perUnit, out var unit));
        Assert.Equal(5u, perUnit);
        Assert.Equal(Sidecar.Engine.Vocabulary.LimitUnit.Minute, unit);
    }

    [Fact]
    public void Read_DescriptorHitsAddend_ItsOwnWithZeroKeptAndNoneWhenAbsent()
    {
        // Arrange: 0 is sent as a wrapper without its value.
        var request = new RateLimitRequest { Domain = "tokens", HitsAddend = 3 };
        request.Descriptors.Add(Descriptor(("tenant", "a")));
        request.Descriptors.Add(Descriptor(("tenant", "b")));
        request.Descriptors.Add(Descriptor(("tenant", "c")));
        request.Descriptors[1].HitsAddend = 0;
        request.Descriptors[2].HitsAddend = 1_500;
        var bytes = request.ToByteArray();
        var buffer = new RateLimitRequestBuffer();

        // Act
        var error = RateLimitRequestReader.Read(bytes, buffer);

        // Assert
        Assert.Null(error);
        Assert.Contains(new byte[] { 0x1A, 0x00 }, Enumerable.Range(0, bytes.Length - 1).Select(i => bytes[i..(i + 2)]));
        Assert.False(buffer.TryGetHitsAddend(0, out _));
        Assert.True(buffer.TryGetHitsAddend(1, out var zero));
        Assert.Equal(0u, zero);
        Assert.True(buffer.TryGetHitsAddend(2, out var own));
        Assert.Equal(1_500u, own);
        var view = new RateLimitRequestView(buffer);
        Assert.Equal([3u, 0u, 1_500u], [view.Hits(0), view.Hits(1), view.Hits(2)]);
    }

    [Theory]
    [InlineData(4_294_967_295UL, 4_294_967_295U)]
    [InlineData(4_294_967_296UL, 4_294_967_295U)]
    [InlineData(ulong.MaxValue, 4_294_967_295U)]
    public void Read_DescriptorHitsAddendBeyondUInt32_CappedAtTheRequestLevelsMaximum(ulong sent, uint read)
    {
        // Arrange
        var request = new RateLimitRequest { Domain = "tokens" };
        request.Descriptors.Add(Descriptor(("tenant", "a")));
        request.Descriptors[0].HitsAddend = sent;
        var buffer = new RateLimitRequestBuffer();

        // Act
        var error = RateLimitRequestReader.Read(request.ToByteArray(), buffer);

        // Assert: never wrapped into a small number.
        Assert.Null(error);
        Assert.True(buffer.TryGetHitsAddend(0, out var hits));
        Assert.Equal(read, hits);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A, 0x02, 0x08, 0x07, 0x1A, 0x00 }, 7u)]
    [InlineData(new byte[] { 0x1A, 0x00, 0x1A, 0x02, 0x08, 0x07 }, 7u)]
    [InlineData(new byte[] { 0x1A, 0x02, 0x08, 0x07, 0x1A, 0x02, 0x08, 0x09 }, 9u)]
    [InlineData(new byte[] { 0x1A, 0x04, 0x08, 0x07, 0x08, 0x09 }, 9u)]
    [InlineData(new byte[] { 0x1A, 0x02, 0x10, 0x01 }, 0u)]
    public void Read_DescriptorHitsAddendSentTwiceOrWithOtherFields_MergedAsTheGeneratedParserMerges(byte[] wrappers, uint expected)
    {
        // Arrange: one descriptor [tenant=a] followed by the hits_addend fields given.
        var entry = Descriptor(("tenant", "a")).ToByteArray();
        var descriptor = entry.Concat(wrappers).ToArray();
        var bytes = new RateLimitRequest { Domain = "tokens" }.ToByteArray()
            .Concat(new byte[] { 0x12, (byte)descriptor.Length }).Concat(descriptor).ToArray();
        var buffer = new RateLimitRequestBuffer();

        // Act
        var error = RateLimitRequestReader.Read(bytes, buffer);

        // Assert
        Assert.Null(error);
        Assert.True(buffer.TryGetHitsAddend(0, out var hits));
        Assert.Equal(expected, hits);
        Assert.Equal(expected, RateLimitRequest.Parser.ParseFrom(bytes).Descriptors[0].HitsAddend);
    }

    [Fact]
    public void Read_BufferReusedForSmallerRequest_NothingLeftOver()
    {
        // Arrange
        var buffer = new RateLimitRequestBuffer();
        var big = new RateLimitRequest { Domain = "big-domain", HitsAddend = 9 };
        for (var i = 0; i < 40; i++)
        {
            big.Descriptors.Add(Descriptor(("k" + i, new string('v', 100))));
            big.Descriptors[i].HitsAddend = (ulong)i;
        }

        var small = new RateLimitRequest { Domain = "d" };
        small.Descriptors.Add(Descriptor(("account", "x")));
        Assert.Null(RateLimitRequestReader.Read(big.ToByteArray(), buffer));

        // Act
        var error = RateLimitRequestReader.Read(small.ToByteArray(), buffer);

        // Assert
        Assert.Null(error);
        Assert.Equal("d", buffer.Domain.ToString());
        Assert.Equal(0u, buffer.HitsAddend);
        Assert.Equal(1, buffer.DescriptorCount);
        Assert.Equal(1, buffer.EntryCount(0));
        Assert.Equal("x", buffer.Value(0, 0).ToString());
        Assert.False(buffer.TryGetHitsAddend(0, out _));
    }

    private static RateLimitRequest RandomRequest(Random random)
    {
        var request = new RateLimitRequest
        {
            Domain = random.Next(10) == 0 ? string.Empty : Pick(random),
            HitsAddend = random.Next(3) == 0 ? (uint)random.Next() : 0,
        };
        var descriptors = random.Next(10) == 0 ? 0 : random.Next(1, 6);
        for (var d = 0; d < descriptors; d++)
        {
            var entries = Enumerable.Range(0, random.Next(0, 5)).Select(_ => (Pick(random), Pick(random))).ToArray();
            var descriptor = Descriptor(entries);
            if (random.Next(4) == 0)
            {
                descriptor.Limit = new RateLimitDescriptor.Types.RateLimitOverride
                {
                    RequestsPerUnit = (uint)random.Next(),
                    Unit = (Envoy.Type.V3.RateLimitUnit)random.Next(1, 7),
                };
            }

            descriptor.HitsAddend = random.Next(4) switch
            {
                0 => null,
                1 => 0,
                2 => (ulong)random.Next(),
                _ => (ulong)random.NextInt64(long.MaxValue) * 2,
            };
            request.Descriptors.Add(descriptor);
        }

        return request;
    }

    private static string Pick(Random random)
    {
        var text = s_texts[random.Next(s_texts.Length)];
        return text.Length > 256 ? text[..random.Next(200, 256)] : text;
    }

    private static RateLimitDescriptor Descriptor(params (string Key, string Value)[] entries)
    {
        var descriptor = new RateLimitDescriptor();
        foreach (var (key, value) in entries)
        {
            descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        }

        return descriptor;
    }
}
