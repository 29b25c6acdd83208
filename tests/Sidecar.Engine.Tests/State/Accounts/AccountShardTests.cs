using System.Runtime.CompilerServices;
using Sidecar.Engine.State.Accounts;
using Sidecar.Engine.State.Memory;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.State.Accounts;

public sealed class AccountShardTests
{
    [Fact]
    public void GetOrAdd_ManyIds_GrowsAndFindsEachOnce()
    {
        // Arrange
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("acct", 1000);

        // Act
        var added = ids.Select(id => shard.GetOrAdd(Hash(id), id)).ToArray();

        // Assert: at most three quarters full, and every id maps to its own entry.
        Assert.Equal(1000, shard.Count);
        Assert.InRange((shard.Snapshot().Length * AccountSlotGroup.Slots), 1334, 4096);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Same(added[i], shard.Find(Hash(ids[i]), ids[i]));
            Assert.Same(added[i], shard.GetOrAdd(Hash(ids[i]), ids[i]));
            Assert.Equal(ids[i], added[i].IdToString());
        }
    }

    [Fact]
    public void Find_IdsSharingOneHash_ProbesPastOthersAndRemovedSlots()
    {
        // Arrange: every id has the same hash, so they sit in one probe chain.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
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
    public void Find_EmptyId_NeverMatchesARemovedSlot()
    {
        // Arrange: the removed-slot marker has an empty id.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
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
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("acct", 1000);
        var entries = ids.Select(id => shard.GetOrAdd(Hash(id), id)).ToArray();
        var grown = (shard.Snapshot().Length * AccountSlotGroup.Slots);
        for (var i = 10; i < ids.Length; i++)
        {
            shard.Remove(entries[i], Hash(ids[i]));
        }

        // Act
        shard.Compact();

        // Assert
        Assert.Equal(10, shard.Count);
        Assert.True((shard.Snapshot().Length * AccountSlotGroup.Slots) < grown);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i < 10 ? entries[i] : null, shard.Find(Hash(ids[i]), ids[i]));
        }
    }

    [Fact]
    public void SlotGroup_On64BitRuntime_Is96BytesForEightSlots()
    {
        // Arrange
        Assert.SkipUnless(Environment.Is64BitProcess, "The size is stated for 64-bit runtimes.");

        // Act
        var size = Unsafe.SizeOf<AccountSlotGroup>();

        // Assert: 8 hashes (32) and 8 references (64), 12 bytes per slot.
        Assert.Equal(8, AccountSlotGroup.Slots);
        Assert.Equal(96, size);
    }

    [Fact]
    public void Find_ChainCrossingAGroupBoundary_FindsEveryEntryAndStopsAtANeverUsedSlot()
    {
        // Arrange: 10 ids on hash 5 fill slots 5 to 14: lanes 5-7 of group 0, then lanes 0-6 of group 1.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("cross", 10);

        // Act
        var entries = ids.Select(id => shard.GetOrAdd(5, id)).ToArray();

        // Assert
        var groups = shard.Snapshot();
        Assert.Equal(16, (shard.Snapshot().Length * AccountSlotGroup.Slots));
        Assert.Same(entries[0], groups[0].Entries[5]);
        Assert.Same(entries[2], groups[0].Entries[7]);
        Assert.Same(entries[3], groups[1].Entries[0]);
        Assert.Same(entries[9], groups[1].Entries[6]);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Same(entries[i], shard.Find(5, ids[i]));
            Assert.Equal(5, groups[(5 + i) / 8].Hashes[(5 + i) % 8]);
        }

        Assert.Null(shard.Find(5, "cross-10"));
        Assert.Null(shard.Find(15, ids[0]));
    }

    [Fact]
    public void Find_ChainWrappingPastTheEnd_FindsEveryEntryPastARemovedSlot()
    {
        // Arrange: hash -1 picks the last slot of any array; 6 ids fill slot 15, then wrap to slots 0 to 4.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("wrap", 6);
        var entries = ids.Select(id => shard.GetOrAdd(-1, id)).ToArray();
        var groups = shard.Snapshot();
        Assert.Same(entries[0], groups[1].Entries[7]);
        Assert.Same(entries[1], groups[0].Entries[0]);

        // Act: remove the entry in the last slot, so every probe starts on a removal marker and wraps.
        shard.Remove(entries[0], -1);

        // Assert
        Assert.Same(AccountShard.Removed, groups[1].Entries[7]);
        Assert.Null(shard.Find(-1, ids[0]));
        for (var i = 1; i < ids.Length; i++)
        {
            Assert.Same(entries[i], shard.Find(-1, ids[i]));
        }

        Assert.Null(shard.Find(-1, "wrap-6"));
        Assert.Equal(5, shard.Count);
    }

    [Fact]
    public void Remove_InsideAGroup_ProbesGoPastTheMarkerAndTheNextInsertReusesIt()
    {
        // Arrange: 5 ids on hash 2 fill slots 2 to 6 of group 0; 6 more fill slots 9 to 14, so that one
        // more used slot would take the array to three quarters and grow it.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("lane", 5);
        var entries = ids.Select(id => shard.GetOrAdd(2, id)).ToArray();
        var fillers = Ids("filler", 6).Select(id => shard.GetOrAdd(9, id)).ToArray();

        // Act: remove the middle one, then add another id on the same hash.
        shard.Remove(entries[2], 2);
        var groups = shard.Snapshot();
        var marker = groups[0].Entries[4];
        var late = shard.GetOrAdd(2, "late");

        // Assert: the marker was left in lane 4 and reused there, so the array did not grow.
        Assert.Same(AccountShard.Removed, marker);
        Assert.Same(groups, shard.Snapshot());
        Assert.Same(late, groups[0].Entries[4]);
        Assert.Null(shard.Find(2, ids[2]));
        Assert.Same(entries[3], shard.Find(2, ids[3]));
        Assert.Same(entries[4], shard.Find(2, ids[4]));
        Assert.Same(late, shard.Find(2, "late"));
        Assert.All(fillers, filler => Assert.Same(filler, shard.Find(9, filler.IdToString())));
        Assert.Equal(11, shard.Count);
    }

    [Fact]
    public void GrowAndCompact_CollidingAndWrappingChains_KeepEveryLiveEntryFindable()
    {
        // Arrange: a quarter of the ids on hash -1 (wrapping), a quarter on 7 (across a group boundary), the rest on their own hashes.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var ids = Ids("mixed", 600);
        int HashOf(int i) => (i % 4) switch { 0 => -1, 1 => 7, _ => Hash(ids[i]) };
        var entries = ids.Select((id, i) => shard.GetOrAdd(HashOf(i), id)).ToArray();
        var grown = (shard.Snapshot().Length * AccountSlotGroup.Slots);
        var foundAfterGrowth = ids.Select((id, i) => shard.Find(HashOf(i), id)).ToArray();

        // Act: remove two thirds, then compact.
        for (var i = 0; i < ids.Length; i++)
        {
            if (i % 3 != 0)
            {
                shard.Remove(entries[i], HashOf(i));
            }
        }

        shard.Compact();

        // Assert
        Assert.Equal(entries, foundAfterGrowth);
        Assert.Equal(200, shard.Count);
        Assert.True((shard.Snapshot().Length * AccountSlotGroup.Slots) < grown);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i % 3 == 0 ? entries[i] : null, shard.Find(HashOf(i), ids[i]));
        }
    }

    [Fact]
    public void Find_NonAsciiIdsOnOneHash_DistinctFromIdsSharingAPrefixAndRoundTrip()
    {
        // Arrange: every id on hash 3, so each lookup compares against all the others.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        string[] ids = ["compte-", "compte-e", "compte-é", "用户-4", "用户-42", "emoji-😀", "emoji-😁", "Ã©", "é", "bad-\uD800", "bad-\uFFFD"];

        // Act
        var entries = ids.Select(id => shard.GetOrAdd(3, id)).ToArray();

        // Assert
        Assert.Equal(ids.Length, shard.Count);
        Assert.Equal(ids.Length, entries.Distinct().Count());
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Same(entries[i], shard.Find(3, ids[i].ToCharArray()));
            Assert.Same(entries[i], shard.GetOrAdd(3, ids[i]));
            Assert.Equal(ids[i], entries[i].IdToString());
        }

        Assert.Null(shard.Find(3, "用户-"));
        Assert.Null(shard.Find(3, "emoji-\uD83D"));
    }

    [Fact]
    public void GetOrAdd_ThreadsRacingOnTheSameIds_OneEntryPerId()
    {
        // Arrange: 4 threads add the same 20,000 ids, each in its own order, through many resizes.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
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
    [InlineData("own")]
    [InlineData("colliding")]
    [InlineData("wrapping")]
    public void Find_WhileOthersInsertRemoveAndResize_NeverMissesAnEntryThatStays(string hashes)
    {
        // Arrange: 200 entries stay throughout; 2 writers churn transient entries through growth,
        // removals, reuse of removed slots and shrinking; 2 readers look up the ones that stay.
        // Colliding hashes make long chains across group boundaries; wrapping ones start them in the
        // last slots of every array, so that they go on past its end.
        var shard = new AccountShard(new MemoryBudget(long.MaxValue));
        var stayIds = Ids("stay", 200);
        int HashOf(string id) => hashes switch
        {
            "colliding" => id.Length % 3,
            "wrapping" => -1 - (id.Length % 3),
            _ => Hash(id),
        };
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
