using Microsoft.Extensions.Logging;

namespace Sidecar.Host.Tests.TestSupport;

/// <summary>A logger that keeps every message it is given, for tests of what the sidecar logs and how often.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<string> _messages = [];

    /// <summary>The messages logged so far.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_messages)
        {
            _messages.Add(formatter(state, exception));
        }
    }
}
