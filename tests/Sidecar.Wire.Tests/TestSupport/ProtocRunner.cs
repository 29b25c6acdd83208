using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf.Reflection;

namespace Sidecar.Wire.Tests.TestSupport;

/// <summary>Runs the protoc that Grpc.Tools ships and returns the <see cref="FileDescriptorSet"/> it writes.</summary>
internal sealed class ProtocRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public ProtocRunner(string grpcToolsDirectory)
    {
        ProtocPath = Path.Combine(grpcToolsDirectory, "tools", PlatformDirectory(), OperatingSystem.IsWindows() ? "protoc.exe" : "protoc");
        WellKnownTypesInclude = Path.Combine(grpcToolsDirectory, "build", "native", "include");
    }

    /// <summary>The protoc executable.</summary>
    public string ProtocPath { get; }

    /// <summary>The folder holding google/protobuf/*.proto (always passed as the last include directory).</summary>
    public string WellKnownTypesInclude { get; }

    /// <summary>A runner for the Grpc.Tools package this assembly was built against.</summary>
    public static ProtocRunner FromBuildMetadata() => new(BuildMetadata.GrpcToolsDirectory);

    /// <summary>
    /// Compiles <paramref name="files"/> (paths relative to an include directory) with <c>--include_imports</c> and
    /// returns the parsed descriptor set.
    /// </summary>
    public FileDescriptorSet BuildDescriptorSet(IEnumerable<string> includeDirectories, IEnumerable<string> files)
    {
        EnsureExecutable();

        var workDirectory = Directory.CreateTempSubdirectory("sidecar-wire-");
        try
        {
            var output = Path.Combine(workDirectory.FullName, "descriptors.pb");
            var startInfo = new ProcessStartInfo(ProtocPath)
            {
                WorkingDirectory = workDirectory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add("--include_imports");
            startInfo.ArgumentList.Add($"--descriptor_set_out={output}");
            foreach (var include in includeDirectories.Append(WellKnownTypesInclude))
            {
                startInfo.ArgumentList.Add($"--proto_path={include}");
            }

            foreach (var file in files)
            {
                startInfo.ArgumentList.Add(file);
            }

            Run(startInfo);
            return FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(output));
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static void Run(ProcessStartInfo startInfo)
    {
        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start protoc: {commandLine}");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"protoc did not finish within {Timeout}: {commandLine}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"protoc exited with code {process.ExitCode}.{Environment.NewLine}" +
                $"Command: {commandLine}{Environment.NewLine}" +
                $"{standardError.GetAwaiter().GetResult()}{standardOutput.GetAwaiter().GetResult()}");
        }
    }

    private void EnsureExecutable()
    {
        if (!File.Exists(ProtocPath))
        {
            throw new FileNotFoundException(
                $"protoc not found at {ProtocPath}. It ships in the Grpc.Tools NuGet package, which restoring " +
                "tests/Sidecar.Wire.Tests downloads (dotnet restore).", ProtocPath);
        }

        // NuGet does not always keep the executable bit when it extracts a package.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(ProtocPath);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(ProtocPath, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
    }

    private static string PlatformDirectory()
    {
        var architecture = RuntimeInformation.OSArchitecture;
        if (OperatingSystem.IsLinux())
        {
            return architecture switch
            {
                Architecture.X64 => "linux_x64",
                Architecture.Arm64 => "linux_arm64",
                Architecture.X86 => "linux_x86",
                _ => throw Unsupported(),
            };
        }

        if (OperatingSystem.IsMacOS())
        {
            return "macosx_universal";
        }

        if (OperatingSystem.IsWindows())
        {
            return architecture == Architecture.X86 ? "windows_x86" : "windows_x64";
        }

        throw Unsupported();

        static PlatformNotSupportedException Unsupported() =>
            new($"Grpc.Tools ships no protoc for {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}).");
    }
}
