namespace Sidecar.Host.Cli;

/// <summary>Wrong arguments: the command prints what is wrong and its usage, and exits <see cref="ExitCode.Usage"/>.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with what is wrong, as one sentence.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (for serializers).</summary>
    public UsageException()
    {
    }
}
