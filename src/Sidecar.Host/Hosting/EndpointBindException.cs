namespace Sidecar.Host.Hosting;

/// <summary>An endpoint could not listen where its settings say (the port is taken, the socket's directory is missing); the message names the settings and the address.</summary>
public sealed class EndpointBindException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EndpointBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public EndpointBindException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a message (for serializers).</summary>
    public EndpointBindException()
    {
    }
}
