using Sidecar.Engine.State.Unwritten;
using Sidecar.Engine.Tests.TestSupport;

namespace Sidecar.Engine.Tests.State.Unwritten;

public sealed class UnwrittenListTests
{
    [Fact]
    public void Drain_ItemMarkedTwice_ReturnsItOnce()
    {
        // Arrange
        var list = new UnwrittenList();
        var item = new Item();
        item.MarkUnwritten(list);
        item.MarkUnwritten(list);

        // Act
        var drained = list.Drain().ToList();

        // Assert
        Assert.Same(item, Assert.Single(drained));
        Assert.Empty(list.Drain());
    }

    [Fact]
    public void Drain_ItemMarkedAgainAfterADrain_ReturnsItNextTime()
    {
        // Arrange
        var list = new UnwrittenList();
        var item = new Item();
        item.MarkUnwritten(list);
        _ = list.Drain().ToList();

        // Act
        item.MarkUnwritten(list);

        // Assert
        Assert.Same(item, Assert.Single(list.Drain()));
    }

    [Fact]
    public void Drain_WhileThreadsChangeAndMark_ReadsEveryItemsLastChange()
    {
        // Arrange: writers change words and mark; a drainer reads the words of what it drains, as a store's pass does.
        var list = new UnwrittenList();
        var items = Enumerable.Range(0, 64).Select(_ => new Item()).ToArray();
        var lastRead = new long[items.Length];
        var writing = 3;
        var drainer = new Thread(() =>
        {
            while (Volatile.Read(ref writing) > 0)
            {
                Drain(list, items, lastRead);
            }
        });
        drainer.Start();

        // Act
        Concurrently.Run(3, writer =>
        {
            var random = new Random(writer);
            for (var i = 0; i < 200_000; i++)
            {
                var item = items[random.Next(items.Length)];
                Interlocked.Increment(ref item.Word);
                item.MarkUnwritten(list);
            }

            Interlocked.Decrement(ref writing);
        });
        drainer.Join();
        Drain(list, items, lastRead);

        // Assert: every item's final word was read, by the drainer or by the last drain.
        Assert.Equal(items.Select(item => Volatile.Read(ref item.Word)), lastRead);
    }

    private static void Drain(UnwrittenList list, Item[] items, long[] lastRead)
    {
        foreach (var drained in list.Drain())
        {
            var item = (Item)drained;
            lastRead[Array.IndexOf(items, item)] = Volatile.Read(ref item.Word);
        }
    }

    private sealed class Item : UnwrittenItem
    {
        public long Word;
    }
}
