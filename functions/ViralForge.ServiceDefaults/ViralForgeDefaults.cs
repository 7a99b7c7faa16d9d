using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ViralForge.ServiceDefaults;

/// <summary>How a host writes its log lines.</summary>
public enum LogFormat
{
    /// <summary>JSON for Cloud Logging on Cloud Run (K_SERVICE or CLOUD_RUN_JOB set), the framework's console format elsewhere.</summary>
    Auto,

    /// <summary>One Cloud Logging JSON object per line, wherever the host runs.</summary>
    CloudLogging,
}

/// <summary>
/// What every ViralForge host does the same way, in one call (eShop's ServiceDefaults): one JSON log line per event with
/// its severity on Cloud Run, the port Cloud Run names in PORT, and the clock. Each host then adds only its own parts.
/// </summary>
public static class ViralForgeDefaults
{
    /// <summary>Set by Cloud Run in a service's container.</summary>
    public const string CloudRunServiceVariable = "K_SERVICE";

    /// <summary>Set by Cloud Run in a job's container.</summary>
    public const string CloudRunJobVariable = "CLOUD_RUN_JOB";

    /// <summary>The port Cloud Run asks a service to listen on.</summary>
    public const string PortVariable = "PORT";

    /// <summary>The web host's setting for the HTTP ports (WebHostDefaults.HttpPortsKey), without a reference to ASP.NET Core.</summary>
    public const string HttpPortsSetting = "http_ports";

    public static TBuilder AddViralForgeDefaults<TBuilder>(this TBuilder builder, LogFormat logFormat = LogFormat.Auto)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;

        if (logFormat == LogFormat.CloudLogging || (logFormat == LogFormat.Auto && IsOnCloudRun(configuration)))
        {
            // The framework's console lines would reach Cloud Logging as several DEFAULT-severity entries per event.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(options => options.FormatterName = CloudLoggingConsoleFormatter.FormatterName);
            builder.Logging.AddConsoleFormatter<CloudLoggingConsoleFormatter, ConsoleFormatterOptions>();
        }

        // Setting the ports rather than ASPNETCORE_URLS keeps Kestrel from warning that URLS overrides the image's
        // ASPNETCORE_HTTP_PORTS. A host that serves no HTTP ignores it.
        if (configuration[PortVariable] is { Length: > 0 } port)
        {
            configuration[HttpPortsSetting] = port;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static bool IsOnCloudRun(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration[CloudRunServiceVariable]) || !string.IsNullOrEmpty(configuration[CloudRunJobVariable]);
    }
}
