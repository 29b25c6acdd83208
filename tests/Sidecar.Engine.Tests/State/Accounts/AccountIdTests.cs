using System.Text;
using Sidecar.Engine.State.Accounts;

namespace Sidecar.Engine.Tests.State.Accounts;

/// <summary>Ids held as UTF-8: what they cost, what they compare equal to, and that they decode back to the id.</summary>
public sealed class AccountIdTests
{
    /// <summary>Valid ids of every kind: empty, ASCII, non-ASCII, with surrogate pairs, long enough to take several chunks.</summary>
    /// <remarks>Ids that are not valid UTF-16 are written in the tests' bodies: attribute arguments store strings as UTF-8, which replaces lone surrogates.</remarks>
    public static TheoryData<string> Ids =>
    [
        string.Empty,
        "acct",
        "acct-0a1b2c3d",
        "compte-é",
        "用户-42",
        "emoji-😀",
        "😀",
        new string('x', 255) + "😀" + new string('é', 300),
        string.Concat(Enumerable.Repeat("用户-😀-", 2_000)),
    ];

    [Theory]
    [InlineData("acct-0a1b2c3d", 13)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301", 36)]
    [InlineData("compte-é", 9)]
    [InlineData("用户-42", 9)]
    [InlineData("emoji-😀", 10)]
    public void Encode_ValidId_IsItsUtf8(string id, int length)
    {
        // Arrange
        // Act
        var encoded = AccountId.Encode(id);

        // Assert
        Assert.Equal(length, encoded.Length);
        Assert.Equal(Encoding.UTF8.GetBytes(id), encoded);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Decode_EncodedId_RoundTrips(string id)
    {
        // Arrange
        var encoded = AccountId.Encode(id);

        // Act
        var decoded = AccountId.Decode(encoded);
        var hash = AccountId.HashOf(encoded);

        // Assert
        Assert.Equal(id, decoded);
        Assert.Equal(string.GetHashCode(id), hash);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Matches_SameIdFromAnotherBuffer_True(string id)
    {
        // Arrange
        var encoded = AccountId.Encode(id);

        // Act
        var matches = AccountId.Matches(encoded, ("[" + id + "]").AsSpan(1, id.Length));

        // Assert
        Assert.True(matches);
    }

    [Theory]
    [InlineData("acct", "acc")]
    [InlineData("acc", "acct")]
    [InlineData("acct", "ACCT")]
    [InlineData("compte-e", "compte-é")]
    [InlineData("compte-é", "compte-e")]
    [InlineData("compte-é", "compte-")]
    [InlineData("é", "Ã©")]
    [InlineData("用户-42", "用户-4")]
    [InlineData("用户-4", "用户-42")]
    [InlineData("emoji-😀", "emoji-😁")]
    [InlineData("", "a")]
    [InlineData("a", "")]
    public void Matches_DifferentIds_False(string held, string sought)
    {
        // Arrange
        var encoded = AccountId.Encode(held);

        // Act
        var matches = AccountId.Matches(encoded, sought);

        // Assert
        Assert.False(matches);
    }

    [Fact]
    public void Matches_LongIdsDifferingOnlyAtTheEndOrInLength_False()
    {
        // Arrange: ids of many chunks, with a surrogate pair on each chunk boundary the transcoder may pick.
        var stem = string.Concat(Enumerable.Repeat("é😀x", 3_000));
        var encoded = AccountId.Encode(stem + "a");

        // Act
        var same = AccountId.Matches(encoded, stem + "a");
        var lastDiffers = AccountId.Matches(encoded, stem + "b");
        var shorter = AccountId.Matches(encoded, stem);
        var longer = AccountId.Matches(encoded, stem + "ab");

        // Assert
        Assert.True(same);
        Assert.False(lastDiffers);
        Assert.False(shorter);
        Assert.False(longer);
    }

    [Fact]
    public void Encode_IdsNotValidUtf16_RoundTripAndStayDistinct()
    {
        // Arrange: lone surrogates, which UTF-8 cannot hold, and the ids their replacement would alias.
        string[] ids = ["bad-\uD800", "bad-\uD801", "bad-\uFFFD", "\uDC00-bad", "bad-\uD800-" + new string('x', 300), "emoji-\uD83D", "emoji-😀"];
        Assert.True(char.IsSurrogate(ids[0][^1]), "The literal kept its lone surrogate.");

        // Act
        var encoded = ids.Select(id => AccountId.Encode(id)).ToArray();

        // Assert: each decodes to itself, hashes as itself, and matches itself only.
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(ids[i], AccountId.Decode(encoded[i]));
            Assert.Equal(string.GetHashCode(ids[i]), AccountId.HashOf(encoded[i]));
            for (var j = 0; j < ids.Length; j++)
            {
                Assert.Equal(i == j, AccountId.Matches(encoded[i], ids[j].ToCharArray()));
            }
        }
    }
}
