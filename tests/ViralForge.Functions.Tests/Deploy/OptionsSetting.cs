using ViralForge.Testing;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ViralForge.Adapters.Google.CloudRun;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Adapters.Google.Storage;
using ViralForge.Adapters.Google.Tasks;
using ViralForge.Core;
using ViralForge.Functions.Addon;
using ViralForge.Functions.Auth;

namespace ViralForge.Functions.Tests.Deploy;

/// <summary>
/// Whether an environment variable (Section__Name__0) names a setting some options class binds: walks the class's
/// properties as the configuration binder does (names without case, list items by index, dictionary entries by key).
/// The bot's options (Slack, Teams) are read from their source files, because this test project does not reference
/// the bot.
/// </summary>
public static partial class OptionsSetting
{
    private static readonly Type[] Bound =
    [
        typeof(ViralForgeOptions), typeof(GoogleOidcOptions), typeof(CloudTasksOptions), typeof(CloudStorageOptions),
        typeof(CloudRunOptions), typeof(GoogleSheetsOptions), typeof(AddonOptions),
        typeof(Adapters.Pexels.PexelsOptions), typeof(Adapters.Pixabay.PixabayOptions), typeof(Adapters.Runway.RunwayOptions),
        typeof(Adapters.Vertex.VeoOptions),
        typeof(Adapters.Accounts.AccountsOptions), typeof(Adapters.TikTok.TikTokOptions), typeof(Adapters.Accounts.YouTubeAccountOptions),
        typeof(Adapters.YouTube.YouTubeTrendsOptions),
    ];

    /// <summary>
    /// Settings FunctionsApp reads itself while it builds the host, before any options class is bound (the paid
    /// providers' keys: ProviderKeys checks them and picks the providers).
    /// </summary>
    private static readonly string[] ReadByTheHost = ["ViralForge__InboundAuth", "OpenAI__ApiKey", "ElevenLabs__ApiKey"];

    private static readonly string[] BotOptionsFiles = ["bot/ViralForge.Bot/Slack/SlackOptions.cs", "bot/ViralForge.Bot/Teams/TeamsOptions.cs"];

    public static bool Binds(string variable)
    {
        if (ReadByTheHost.Contains(variable, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        var segments = variable.Split("__");
        foreach (var type in Bound)
        {
            var section = SectionOf(type).Split(':');
            // Several classes may share a section (YouTube: the accounts' OAuth client, the publisher, the trend reads).
            if (segments.Length > section.Length && segments.Take(section.Length).SequenceEqual(section, StringComparer.OrdinalIgnoreCase)
                && Walk(type, segments[section.Length..]))
            {
                return true;
            }
        }
        foreach (var file in BotOptionsFiles)
        {
            var source = File.ReadAllText(RepositoryRoot.File(file));
            var section = SectionName().Match(source).Groups[1].Value;
            if (segments.Length == 2 && string.Equals(segments[0], section, StringComparison.OrdinalIgnoreCase))
            {
                return SettableProperty().Matches(source).Any(m => string.Equals(m.Groups[1].Value, segments[1], StringComparison.OrdinalIgnoreCase));
            }
        }
        return false;
    }

    private static string SectionOf(Type type) =>
        (string?)type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)?.GetRawConstantValue()
        ?? throw new InvalidOperationException($"{type.Name} has no SectionName");

    private static bool Walk(Type type, string[] segments)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (segments.Length == 0)
        {
            return IsValue(type);
        }
        var (first, rest) = (segments[0], segments[1..]);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return Walk(type.GetGenericArguments()[1], rest);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out _) && Walk(type.GetGenericArguments()[0], rest);
        }
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.CanWrite && string.Equals(p.Name, first, StringComparison.OrdinalIgnoreCase));
        return property is not null && Walk(property.PropertyType, rest);
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Uri) || type == typeof(TimeSpan) || type == typeof(decimal);

    [GeneratedRegex(@"public const string SectionName = ""(\w+)"";")]
    private static partial Regex SectionName();

    [GeneratedRegex(@"public [\w<>?]+ (\w+) \{ get; set; \}")]
    private static partial Regex SettableProperty();
}
