using Sidecar.Storage.Disk;

namespace Sidecar.Storage.Tests.Disk;

public sealed class StateFileReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Recover_LastRecordTornByACrash_DropsItWithAWarningAndKeepsTheRest()
    {
        // Arrange: two acknowledged balances, then half of a third record, as a crash mid-write leaves it.
        var journal = await JournalWithBalancesAsync(2);
        var whole = new FileInfo(journal).Length;
        var record = new byte[StateRecord.BalanceLength(6)];
        StateRecord.WriteBalance(record, "acct-9"u8, new(1, 0, null, 1));
        using (var file = File.OpenWrite(journal))
        {
            file.Seek(0, SeekOrigin.End);
            file.Write(record.AsSpan(0, record.Length / 2));
        }

        // Act
        await using var store = StoreHarness.Open(_directory.Path);

        // Assert
        Assert.Equal(2, store.Recovery.Balances);
        var warning = Assert.Single(store.Recovery.Warnings);
        Assert.Contains(journal, warning, StringComparison.Ordinal);
        Assert.Contains($"at byte {whole}", warning, StringComparison.Ordinal);
        Assert.Equal(whole, new FileInfo(journal).Length);
    }

    [Fact]
    public async Task Recover_ZerosAfterTheLastRecord_DropsThemWithAWarning()
    {
        // Arrange: the file grew but its last pages never reached the disk (a power loss).
        var journal = await JournalWithBalancesAsync(3);
        using (var file = File.OpenWrite(journal))
        {
            file.Seek(0, SeekOrigin.End);
            file.Write(new byte[4096]);
        }

        // Act
        await using var store = StoreHarness.Open(_directory.Path);

        // Assert
        Assert.Equal(3, store.Recovery.Balances);
        Assert.Single(store.Recovery.Warnings);
    }

    [Fact]
    public async Task Recover_ARecordDamagedInTheMiddle_StopsNamingTheFileAndByte()
    {
        // Arrange: flip one byte inside the second balance record; whole records follow it.
        var journal = await JournalWithBalancesAsync(3);
        var bytes = File.ReadAllBytes(journal);
        var second = StateRecord.FileHeaderLength + StateRecord.BalanceLength("acct-0".Length);
        bytes[second + StateRecord.HeaderLength + 10] ^= 0xFF;
        File.WriteAllBytes(journal, bytes);

        // Act
        var error = Assert.Throws<StorageException>(() => StoreHarness.Open(_directory.Path));

        // Assert: nothing changed, and the way out is named.
        Assert.Contains($"{journal} is damaged at byte {second}", error.Message, StringComparison.Ordinal);
        Assert.Contains("mv ", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(journal));
    }

    [Fact]
    public async Task Recover_DamagedFileMovedAside_Starts()
    {
        // Arrange
        var journal = await JournalWithBalancesAsync(3);
        var bytes = File.ReadAllBytes(journal);
        bytes[StateRecord.FileHeaderLength + StateRecord.HeaderLength + 10] ^= 0xFF;
        File.WriteAllBytes(journal, bytes);
        Assert.Throws<StorageException>(() => StoreHarness.Open(_directory.Path));

        // Act: what the message says to do.
        File.Move(journal, journal + ".damaged");
        await using var store = StoreHarness.Open(_directory.Path);

        // Assert
        Assert.Equal(0, store.Recovery.Balances);
    }

    [Fact]
    public async Task Recover_SnapshotWithoutItsEnd_StopsNamingTheFile()
    {
        // Arrange: a compacted directory whose snapshot lost its last bytes.
        var first = StoreHarness.Open(_directory.Path);
        await first.PushAsync("acct", 1_000_000, version: 1);
        await first.Store.CompactAsync();
        await first.DisposeAsync();
        var snapshot = Directory.GetFiles(_directory.Path, "snapshot-*.snap").Single();
        var bytes = File.ReadAllBytes(snapshot);
        File.WriteAllBytes(snapshot, bytes[..^StateRecord.SnapshotEndLength]);

        // Act
        var error = Assert.Throws<StorageException>(() => StoreHarness.Open(_directory.Path));

        // Assert
        Assert.Contains(snapshot, error.Message, StringComparison.Ordinal);
        Assert.Contains("incomplete", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> JournalWithBalancesAsync(int count)
    {
        await using (var store = StoreHarness.Open(_directory.Path))
        {
            for (var i = 0; i < count; i++)
            {
                await store.PushAsync($"acct-{i}", 1_000_000, version: 1);
            }
        }

        return _directory.Journals().Single();
    }

    public void Dispose() => _directory.Dispose();
}
