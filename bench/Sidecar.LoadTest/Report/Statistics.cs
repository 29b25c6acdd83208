namespace Sidecar.LoadTest.Report;

/// <summary>Summaries of repeated measurements, shared by the commands' tables.</summary>
internal static class Statistics
{
    /// <summary>The median of the finite values (the mean of the middle two for an even count); NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
