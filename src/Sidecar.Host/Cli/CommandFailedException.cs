namespace Sidecar.Host.Cli;

/// <summary>
/// A command could not do what it was asked (the server cannot be reached or refused the call, a
/// file cannot be read): it prints the message, one line naming what failed, and exits
/// <see cref="ExitCode.Failed"/>.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception with what failed, as one line.</summary>
    public CommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (for serializers).</summary>
    public CommandFailedException()
    {
    }
}
