namespace Sidecar.Host.Cli;

/// <summary>The exit codes of every command, as <c>check-config</c> has them.</summary>
internal static class ExitCode
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>It failed: the server cannot be reached, refused the call or rejected an update, or a file cannot be read.</summary>
    public const int Failed = 1;

    /// <summary>Wrong arguments: the usage is printed.</summary>
    public const int Usage = 2;
}
