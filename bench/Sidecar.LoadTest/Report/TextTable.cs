using System.Text;

namespace Sidecar.LoadTest.Report;

/// <summary>A table printed either aligned in columns for the terminal or as a markdown table; the first <c>textColumns</c> columns are left-aligned, the rest (numbers) right-aligned.</summary>
internal sealed class TextTable(int textColumns, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public string Render(bool markdown) => markdown ? RenderMarkdown() : RenderAligned();

    private string RenderAligned()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendAligned(text, headers, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            AppendAligned(text, row, widths);
        }

        return text.ToString();
    }

    private void AppendAligned(StringBuilder text, string[] cells, int[] widths)
        => text.AppendLine(string.Join("  ", cells.Select((c, i) => i < textColumns ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());

    private string RenderMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Join("|", headers.Select((_, i) => i < textColumns ? "---" : "---:")) + "|");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }
}
