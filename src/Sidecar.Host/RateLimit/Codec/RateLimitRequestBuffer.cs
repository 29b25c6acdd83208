using System.Buffers;
using System.Text.Unicode;

namespace Sidecar.Host.RateLimit.Codec;

/// <summary>
/// The content of one Envoy <c>RateLimitRequest</c>, held in arrays that are reused from call to
/// call: every string is decoded into one UTF-16 buffer, and descriptors and entries are ranges
/// into it. Filled by <see cref="RateLimitRequestReader"/>; read by the engine through
/// <see cref="RateLimitRequestView"/>. Reusing it is what makes a call allocate no strings.
/// </summary>
internal sealed class RateLimitRequestBuffer
{
    private char[] _text = new char[512];
    private int _textLength;
    private Entry[] _entries = new Entry[16];
    private int _entryCount;
    private Descriptor[] _descriptors = new Descriptor[8];
    private TextRange _domain;

    /// <summary>The domain.</summary>
    public ReadOnlySpan<char> Domain => Text(_domain);

    /// <summary>Number of descriptors.</summary>
    public int DescriptorCount { get; private set; }

    /// <summary>Envoy's <c>hits_addend</c> as sent (0 when unset).</summary>
    public uint HitsAddend { get; set; }

    /// <summary>Number of entries of descriptor <paramref name="descriptor"/>.</summary>
    public int EntryCount(int descriptor) => _descriptors[descriptor].EntryCount;

    /// <summary>The key of entry <paramref name="entry"/> of descriptor <paramref name="descriptor"/>.</summary>
    public ReadOnlySpan<char> Key(int descriptor, int entry) => Text(EntryAt(descriptor, entry).Key);

    /// <summary>The value of entry <paramref name="entry"/> of descriptor <paramref name="descriptor"/>.</summary>
    public ReadOnlySpan<char> Value(int descriptor, int entry) => Text(EntryAt(descriptor, entry).Value);

    /// <summary>The limit override of descriptor <paramref name="descriptor"/>; false when it has none.</summary>
    public bool TryGetLimitOverride(int descriptor, out uint requestsPerUnit, out LimitUnit unit)
    {
        ref readonly var entry = ref _descriptors[descriptor];
        requestsPerUnit = entry.OverridePerUnit;
        unit = entry.OverrideUnit;
        return unit != LimitUnit.None;
    }

    /// <summary>The hits_addend of descriptor <paramref name="descriptor"/>; false when it carries none.</summary>
    public bool TryGetHitsAddend(int descriptor, out uint hits)
    {
        ref readonly var entry = ref _descriptors[descriptor];
        hits = entry.Hits;
        return entry.HasHits;
    }

    /// <summary>Whether the last descriptor carries its own hits_addend.</summary>
    public bool LastHasHitsAddend => _descriptors[DescriptorCount - 1].HasHits;

    /// <summary>Gives the last descriptor its own hits_addend.</summary>
    public void SetHitsAddend(uint hits)
    {
        ref var descriptor = ref _descriptors[DescriptorCount - 1];
        descriptor.Hits = hits;
        descriptor.HasHits = true;
    }

    /// <summary>Gives the last descriptor its own limit.</summary>
    public void SetLimitOverride(uint requestsPerUnit, LimitUnit unit)
    {
        ref var descriptor = ref _descriptors[DescriptorCount - 1];
        descriptor.OverridePerUnit = requestsPerUnit;
        descriptor.OverrideUnit = unit;
    }

    /// <summary>Empties the buffer for a message of <paramref name="messageLength"/> bytes, which decode to at most as many chars.</summary>
    public void Reset(int messageLength)
    {
        if (_text.Length < messageLength)
        {
            _text = new char[Math.Max(messageLength, _text.Length * 2)];
        }

        _textLength = 0;
        _entryCount = 0;
        DescriptorCount = 0;
        _domain = default;
        HitsAddend = 0;
    }

    /// <summary>Decodes <paramref name="utf8"/>; false when it is not valid UTF-8.</summary>
    public bool TryDecode(ReadOnlySpan<byte> utf8, out TextRange range)
    {
        var status = Utf8.ToUtf16(utf8, _text.AsSpan(_textLength), out _, out var written, replaceInvalidSequences: false);
        range = new TextRange(_textLength, written);
        _textLength += written;
        return status == OperationStatus.Done;
    }

    /// <summary>Sets the domain (a later domain field replaces an earlier one, as protobuf parsing does).</summary>
    public void SetDomain(TextRange domain) => _domain = domain;

    /// <summary>Starts a new descriptor; the entries added next belong to it.</summary>
    public void AddDescriptor()
    {
        if (DescriptorCount == _descriptors.Length)
        {
            Array.Resize(ref _descriptors, _descriptors.Length * 2);
        }

        _descriptors[DescriptorCount++] = new Descriptor { FirstEntry = _entryCount };
    }

    /// <summary>Adds an entry to the last descriptor.</summary>
    public void AddEntry(TextRange key, TextRange value)
    {
        if (_entryCount == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_entryCount++] = new Entry(key, value);
        _descriptors[DescriptorCount - 1].EntryCount++;
    }

    private ref readonly Entry EntryAt(int descriptor, int entry) => ref _entries[_descriptors[descriptor].FirstEntry + entry];

    private ReadOnlySpan<char> Text(TextRange range) => _text.AsSpan(range.Start, range.Length);

    /// <summary>A string inside the buffer.</summary>
    public readonly record struct TextRange(int Start, int Length);

    private readonly record struct Entry(TextRange Key, TextRange Value);

    private struct Descriptor
    {
        public int FirstEntry;
        public int EntryCount;
        public uint OverridePerUnit;
        public LimitUnit OverrideUnit;
        public uint Hits;
        public bool HasHits;
    }
}
