using System.Globalization;

namespace Sidecar.LoadTest.Report;

/// <summary>Number formats shared by the tables.</summary>
internal static class Format
{
    public const string NotAvailable = "n/a";

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Micros(double value) => double.IsNaN(value) ? NotAvailable : value.ToString(value < 100 ? "0.0" : "N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : NotAvailable;

    public static string Cpus(double? cpus) => cpus is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : NotAvailable;

    public static string Mib(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) : NotAvailable;

    public static string Milliseconds(TimeSpan? time) => time is { } t ? t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) : NotAvailable;
}
