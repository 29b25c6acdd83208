using System.Globalization;

namespace Sidecar.LoadTest.Options;

/// <summary>Parses the values of the commands' options, naming the option in what it throws.</summary>
internal static class OptionValues
{
    /// <summary>A whole number above 0; thousands separators allowed (1,000,000).</summary>
    public static int Positive(string value, string name)
    {
        var parsed = int.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return parsed > 0 ? parsed : throw new ArgumentException($"{name} must be positive.");
    }

    /// <summary>A share from 0 to 1.</summary>
    public static double Share(string value, string name)
    {
        var parsed = double.Parse(value, CultureInfo.InvariantCulture);
        return parsed is >= 0 and <= 1 ? parsed : throw new ArgumentException($"{name} must be between 0 and 1.");
    }

    /// <summary>A number of seconds above 0, such as 0.5.</summary>
    public static double PositiveSeconds(string value, string name)
    {
        var parsed = double.Parse(value, CultureInfo.InvariantCulture);
        return parsed > 0 ? parsed : throw new ArgumentException($"{name} must be a positive number of seconds.");
    }
}
