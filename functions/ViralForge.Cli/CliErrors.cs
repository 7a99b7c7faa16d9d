using System.CommandLine;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralForge.Adapters.Postgres;
using ViralForge.Core;
using ViralForge.Render;
using ViralForge.ServiceDefaults;

namespace ViralForge.Cli;

/// <summary>A problem vf found itself (a missing file, a bad setting), already said as the sentence a person acts on.</summary>
public sealed class CliProblemException(string problem, Exception? innerException = null) : Exception(problem, innerException);

/// <summary>
/// The one place where vf turns what stops a command into "vf: problem. fix." lines on standard error, with exit code
/// <see cref="ExitCode"/>: bad settings (named with their environment variable form), a database out of reach or
/// refusing the login, a malformed VF_DATABASE_URL, files that are missing or not writable. The exception itself (with
/// its stack trace) is printed only with --verbose. Known failures are recognised by exception type, PostgreSQL
/// SqlState and SocketError, never by message text; secrets (tokens, passwords) never reach these lines, because the
/// lines are built from setting names, hosts and paths, and the settings' own messages never echo their values.
/// </summary>
public static partial class CliErrors
{
    /// <summary>EX_USAGE-like, as the hosts use (<see cref="StartupProblems.BadSettingsExitCode"/>): fix the command, a setting or a file; running again unchanged fails the same way.</summary>
    public const int ExitCode = StartupProblems.BadSettingsExitCode;

    /// <summary>A failure nobody recognised: a fault in vf or in what it drives, not something the person set.</summary>
    public const int FaultExitCode = 1;

    /// <summary>At most this many problems are spelled out without --verbose; the rest are counted and named.</summary>
    private const int MaxLines = 2;

    /// <summary>The top-level configuration sections; a word like Slack:BotToken in a message is one of their settings.</summary>
    private static readonly string[] Sections = ["ViralForge", "Slack", "Teams", "Google", "Addon", "OpenAI", "ElevenLabs"];

    /// <summary>
    /// Runs the parsed command. A command line that does not parse prints System.CommandLine's errors and usage and gives
    /// <see cref="ExitCode"/> (its own default would be 1, the code of a fault); a known failure gives its lines and
    /// <see cref="ExitCode"/>; anything else one line and <see cref="FaultExitCode"/>. With <paramref name="verbose"/>
    /// set on the command line, the exception follows the lines.
    /// </summary>
    public static async Task<int> InvokeAsync(
        ParseResult parse, Option<bool> verbose, TextWriter error, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(verbose);
        ArgumentNullException.ThrowIfNull(error);
        configuration ??= new InvocationConfiguration();
        // Exceptions come here, not to System.CommandLine's handler, which prints the whole stack trace in red.
        configuration.EnableDefaultExceptionHandler = false;
        if (parse.Errors.Count > 0)
        {
            await parse.InvokeAsync(configuration, cancellationToken);
            return ExitCode;
        }
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException e) when (e.InnerException is not TimeoutException)
        {
            // Ctrl-C or SIGTERM: the person asked for it, so nothing to explain (128 + SIGINT, as shells report it). An
            // HttpClient timeout is a TaskCanceledException too, but with a TimeoutException inside: a fault, said below.
            return 130;
        }
        catch (Exception e)
        {
            return await ReportAsync(e, parse.GetValue(verbose), error);
        }
    }

    /// <summary>Writes what <paramref name="exception"/> means for a person, and the exception itself when verbose; returns the exit code.</summary>
    public static async Task<int> ReportAsync(Exception exception, bool verbose, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var problems = Describe(exception);
        var known = problems is not null;
        problems ??= [$"{exception.GetType().Name}: {FirstLine(exception.Message)}. This looks like a fault in vf; run again with --verbose for the details, and report it"];
        var named = problems.Skip(1).SelectMany(SettingsIn).Distinct().Take(8).ToList();
        var lines = verbose || problems.Count <= MaxLines
            ? problems
            : [problems[0], $"and {problems.Count - 1} more{(named.Count > 0 ? $": {string.Join(", ", named)}" : "")} (--verbose lists every one; docs/DEPLOY.md describes each setting)"];
        foreach (var line in lines)
        {
            await error.WriteLineAsync($"vf: {line.TrimEnd().TrimEnd('.')}.");
        }
        if (verbose)
        {
            await error.WriteLineAsync(exception.ToString());
        }
        await error.FlushAsync();
        return known ? ExitCode : FaultExitCode;
    }

    /// <summary>The sentences for a failure vf knows, each ending with its fix; null when it is not one (then it is a fault).</summary>
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case CliProblemException problem:
                return [problem.Message];
            case AggregateException all when all.InnerExceptions.Count > 0:
                // Start-up validates every options class at once and reports the bad sections together.
                var each = all.InnerExceptions.Select(Describe).ToList();
                return each.All(d => d is not null) ? [.. each.SelectMany(d => d!)] : null;
            case OptionsValidationException validation:
                return [.. validation.Failures.Select(f => Setting(NameSection(f, validation.OptionsType)))];
        }
        if (StartupProblems.Of(exception) is { } settings)
        {
            return [.. settings.Select(Setting)];
        }
        if (Database(exception) is { } database)
        {
            return [database];
        }
        return exception switch
        {
            FfmpegException { NotStarted: true } => [FfmpegMissing(null)],
            FileNotFoundException missing => [$"{missing.FileName ?? FirstLine(missing.Message)} does not exist. Check the path"],
            DirectoryNotFoundException folder => [$"{FirstLine(folder.Message)}. Check the path"],
            UnauthorizedAccessException denied => [$"{FirstLine(denied.Message)}. Give this user access to it, or use another path"],
            // Host start-up wraps what a hosted service threw; what it wraps is the cause.
            { InnerException: { } inner } when exception is InvalidOperationException or TargetInvocationException => Describe(inner),
            _ => null,
        };
    }

    /// <summary>
    /// Reads VF_DATABASE_URL (./vf sets it) and checks it is a postgres:// URL or an Npgsql connection string, so a
    /// malformed one is said before a host starts (otherwise the host's stop hides it behind an unrelated exception).
    /// The value is never repeated: it may hold a password.
    /// </summary>
    public static string DatabaseUrl(string? value)
    {
        var variable = PostgresConnection.EnvironmentVariable;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CliProblemException($"{variable} is not set. Run through ./vf, which starts a private PostgreSQL and sets it, or set it to postgres://user:password@host:5432/database");
        }
        try
        {
            _ = PostgresConnection.ToConnectionString(value);
            return value;
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            throw new CliProblemException(
                $"{variable} is neither a postgres:// URL nor an Npgsql connection string. Set it to postgres://user:password@host:5432/database or Host=...;Username=...;Database=..., or unset it and run through ./vf", e);
        }
    }

    /// <summary>The sentence for an ffmpeg that is not where ViralForge:Media:FfmpegFolder says.</summary>
    public static string FfmpegMissing(string? folder) =>
        $"there is no ffmpeg in {(folder is null ? "the folder" : $"'{folder}', the folder")} ViralForge:Media:FfmpegFolder names (environment: ViralForge__Media__FfmpegFolder). "
        + "Install it (apt-get install ffmpeg) or set the setting to the folder that holds ffmpeg and ffprobe";

    /// <summary>Checks the folder ViralForge:Media:FfmpegFolder names holds ffmpeg and ffprobe, before anything is submitted that would need them.</summary>
    public static void CheckFfmpeg(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var suffix = OperatingSystem.IsWindows() ? ".exe" : "";
        if (!File.Exists(Path.Combine(folder, "ffmpeg" + suffix)) || !File.Exists(Path.Combine(folder, "ffprobe" + suffix)))
        {
            throw new CliProblemException(FfmpegMissing(folder));
        }
    }

    /// <summary>A database that cannot be reached or refuses us, by SqlState or SocketError; null for any other failure.</summary>
    private static string? Database(Exception exception)
    {
        var npgsql = Chain(exception).OfType<NpgsqlException>().FirstOrDefault();
        if (npgsql is null)
        {
            return null;
        }
        var variable = PostgresConnection.EnvironmentVariable;
        var where = DatabaseWhere();
        if (npgsql is PostgresException postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"the database at {where} refused the login (SqlState {postgres.SqlState}). Fix the user name or password in {variable}",
                PostgresErrorCodes.InvalidCatalogName =>
                    $"the database {variable} names does not exist at {where} (SqlState {postgres.SqlState}). Create it (createdb) or name one that exists",
                PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections =>
                    $"the database at {where} is starting up or has no free connection (SqlState {postgres.SqlState}). Try again in a moment",
                _ => null,
            };
        }
        var reason = Chain(npgsql).Select(e => e switch
        {
            SocketException socket => socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                // A unix socket path with nothing there comes back as AddressNotAvailable.
                SocketError.AddressNotAvailable => "nothing listens there",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "no such host",
                SocketError.TimedOut => "timed out",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => "unreachable",
                SocketError.AccessDenied => "permission denied",
                _ => null,
            },
            TimeoutException => "timed out",
            _ => null,
        }).FirstOrDefault(r => r is not null);
        return reason is null
            ? null
            : $"cannot reach the database at {where} ({reason}). Start PostgreSQL there, or set {variable} to one that runs (./vf starts a private one and sets it)";
    }

    /// <summary>Host and port (or the socket folder) of VF_DATABASE_URL, never its user or password.</summary>
    private static string DatabaseWhere()
    {
        try
        {
            var url = Environment.GetEnvironmentVariable(PostgresConnection.EnvironmentVariable) ?? "";
            var builder = new NpgsqlConnectionStringBuilder(PostgresConnection.ToConnectionString(url));
            return builder.Host is { } host && host.StartsWith('/') ? $"the socket in {host}" : $"{builder.Host}:{builder.Port}";
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
        {
            return PostgresConnection.EnvironmentVariable;
        }
    }

    /// <summary>
    /// A validation failure names a member of the options class ("ViralForgeOptions.Media.Width must be ..."); the
    /// setting a person writes is the class's section ("ViralForge:Media:Width").
    /// </summary>
    private static string NameSection(string failure, Type? optionsType)
    {
        if (optionsType?.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is not string section)
        {
            return failure;
        }
        return Regex.Replace(failure, $@"\b{Regex.Escape(optionsType.Name)}((?:\.\w+)+)",
            m => section + m.Groups[1].Value.Replace('.', ':'), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>One settings problem as a line: without the validator's member-name prefix, followed by the settings' environment variable form.</summary>
    private static string Setting(string problem)
    {
        // A validator reports "BotToken: Slack:BotToken must be ..."; the sentence already names the setting in full.
        var prefix = MemberPrefix().Match(problem);
        if (prefix.Success && SettingsIn(problem[prefix.Length..]).Any())
        {
            problem = problem[prefix.Length..];
        }
        problem = problem.TrimEnd().TrimEnd('.');
        // A sentence that already gives the environment form (ViralForge:Profile's does) gets no second one.
        var names = SettingsIn(problem).Distinct().Where(name => !problem.Contains(name, StringComparison.Ordinal)).Take(3).ToList();
        return names.Count == 0 ? problem : $"{problem} (environment: {string.Join(", ", names)})";
    }

    /// <summary>The environment variable form (Slack__BotToken) of every setting a sentence names (Slack:BotToken).</summary>
    private static IEnumerable<string> SettingsIn(string text) =>
        SettingName().Matches(text).Select(m => m.Value.TrimEnd(':').Replace(":", "__", StringComparison.Ordinal))
            .Where(name => Sections.Any(s => name.StartsWith(s + "__", StringComparison.Ordinal)));

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException all)
            {
                foreach (var inner in all.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.TrimEnd('.');
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*(?::[A-Za-z0-9_\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();

    [GeneratedRegex(@"^[A-Za-z0-9_.\[\]]+(?:, [A-Za-z0-9_.\[\]]+)*: ", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPrefix();
}
