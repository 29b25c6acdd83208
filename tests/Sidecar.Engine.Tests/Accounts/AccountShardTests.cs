using Sidecar.Engine.Accounts;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.Accounts;

public sealed class AccountShardTests
{
    [Fact]
    public void GetOrAdd_ManyIds_GrowsAndFindsEachOnce()
    {
        // Arrange
        var shard = new AccountShard();
        var ids = Ids("acct", 1000);

        // Act
        var added = ids.Select(id => shard.GetOrAdd(Hash(id), id)).ToArray();

        // Assert: at most three quarters full, and every id maps to its own entry.
        Assert.Equal(1000, shard.Count);
        Assert.InRange(shard.Capacity, 1334, 4096);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Same(added[i], shard.Find(Hash(ids[i]), ids[i]));
            Assert.Same(added[i], shard.GetOrAdd(Hash(ids[i]), ids[i]));
            Assert.Equal(ids[i], added[i].Id);
        }
    }

    [Fact]
    public void Find_IdsSharingOneHash_ProbesPastOthersAndRemovedSlots()
    {
        // Arrange: every id has the same hash, so they sit in one probe chain.
        var shard = new AccountShard();
        var ids = Ids("same", 10);
        var entries = ids.Select(id => shard.GetOrAdd(7, id)).ToArray();

        // Act: remove every other one, then add a new id, which reuses a removed slot.
        for (var i = 0; i < ids.Length; i += 2)
        {
            shard.Remove(entries[i], 7);
        }

        var late = shard.GetOrAdd(7, "late");

        // Assert
        Assert.Equal(6, shard.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? null : entries[i], shard.Find(7, ids[i]));
        }

        Assert.Same(late, shard.Find(7, "late"));
        Assert.Null(shard.Find(8, "late"));
    }

    [Fact]
    public void Find_EmptyIdNeverMatchesARemovedSlot()
    {
        // Arrange: the removed-slot marker has an empty id.
        var shard = new AccountShard();
        var entry = shard.GetOrAdd(string.GetHashCode(string.Empty), "x");
        shard.Remove(entry, string.GetHashCode(string.Empty));

        // Act
        var found = shard.Find(string.GetHashCode(string.Empty), string.Empty);

        // Assert
        Assert.Null(found);
    }

    [Fact]
    public void Compact_AfterMostRemoved_ShrinksAndKeepsTheRest()
    {
        // Arrange
        var shard = new AccountShard();
        var ids = Ids("acct", 1000);
        var entries = ids.Select(id => shard.GetOrAdd(Hash(id), id)).ToArray();
        var grown = shard.Capacity;
        for (var i = 10; i < ids.Length; i++)
        {
            shard.Remove(entries[i], Hash(ids[i]));
        }

        // Act
        shard.Compact();

        // Assert
        Assert.Equal(10, shard.Count);
        Assert.True(shard.Capacity < grown);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i < 10 ? entries[i] : null, shard.Find(Hash(ids[i]), ids[i]));
        }
    }

    [Fact]
    public void GetOrAdd_ThreadsRacingOnTheSameIds_OneEntryPerId()
    {
        // Arrange: 4 threads add the same 20,000 ids, each in its own order, through many resizes.
        var shard = new AccountShard();
        var ids = Ids("acct", 20_000);
        var seen = new AccountEntry[4][];

        // Act
        Concurrently.Run(4, thread =>
        {
            var mine = new AccountEntry[ids.Length];
            for (var k = 0; k < ids.Length; k++)
            {
                var i = thread % 2 == 0 ? k : ids.Length - 1 - k;
                i = (i + (thread * 5_003)) % ids.Length;
                mine[i] = shard.GetOrAdd(Hash(ids[i]), ids[i]);
            }

            seen[thread] = mine;
        });

        // Assert
        Assert.Equal(ids.Length, shard.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.All(seen, mine => Assert.Same(seen[0][i], mine[i]));
            Assert.Same(seen[0][i], shard.Find(Hash(ids[i]), ids[i]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Find_WhileOthersInsertRemoveAndResize_NeverMissesAnEntryThatStays(bool collidingHashes)
    {
        // Arrange: 200 entries stay throughout; 2 writers churn transient entries through growth,
        // removals, reuse of removed slots and shrinking; 2 readers look up the ones that stay.
        var shard = new AccountShard();
        var stayIds = Ids("stay", 200);
        int HashOf(string id) => collidingHashes ? id.Length % 3 : Hash(id);
        var stay = stayIds.Select(id => shard.GetOrAdd(HashOf(id), id)).ToArray();
        var writersDone = 0;
        var misses = 0;

        // Act
        Concurrently.Run(4, thread =>
        {
            if (thread < 2)
            {
                for (var round = 0; round < 20; round++)
                {
                    var churn = Ids($"churn-{thread}-{round}", 300);
                    var added = churn.Select(id => shard.GetOrAdd(HashOf(id), id)).ToArray();
                    for (var i = 0; i < churn.Length; i++)
                    {
                        shard.Remove(added[i], HashOf(churn[i]));
                    }

                    shard.Compact();
                }

                Interlocked.Increment(ref writersDone);
                return;
            }

            while (Volatile.Read(ref writersDone) < 2)
            {
                for (var i = 0; i < stayIds.Length; i++)
                {
                    if (!ReferenceEquals(shard.Find(HashOf(stayIds[i]), stayIds[i]), stay[i]))
                    {
                        Interlocked.Increment(ref misses);
                    }
                }
            }
        });

        // Assert
        Assert.Equal(0, misses);
        Assert.Equal(stayIds.Length, shard.Count);
    }

    private static string[] Ids(string prefix, int count)
        => Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();

    private static int Hash(string id) => string.GetHashCode(id);
}
