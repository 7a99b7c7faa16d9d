using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ViralForge.Cli.Tests;

/// <summary>
/// Log event ids are how an operator filters Cloud Logging: each assembly owns one range (the table in
/// docs/ARCHITECTURE.md), and no two messages anywhere share an id.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>Assembly name to the ids it owns.</summary>
    public static TheoryData<string, int, int> Ranges => new()
    {
        { "ViralForge.Core", 1000, 1999 },
        { "ViralForge.Render", 2000, 2999 },
        { "ViralForge.Adapters", 3000, 3999 },
        { "ViralForge.Functions", 4000, 4999 },
        { "viralforge-bot", 5000, 6999 },
        { "viralforge-render-job", 7000, 7999 },
        { "ViralForge.ServiceDefaults", 8000, 8999 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Each_assemblys_messages_use_only_its_own_range(string assembly, int first, int last)
    {
        var outside = Messages(Assembly.Load(assembly)).Where(m => m.Id < first || m.Id > last).Select(m => $"{m.Name} {m.Id}").ToList();

        Assert.True(outside.Count == 0, $"{assembly} owns {first}-{last}; outside it: {string.Join(", ", outside)}");
    }

    [Fact]
    public void No_two_messages_share_an_event_id()
    {
        var all = Ranges.Select(row => (string)row[0]).SelectMany(name => Messages(Assembly.Load(name))).ToList();

        var shared = all.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}").ToList();

        Assert.True(all.Count > 50, $"found only {all.Count} log messages; the scan is not seeing them");
        Assert.True(shared.Count == 0, string.Join("; ", shared));
    }

    private static IEnumerable<(string Name, int Id)> Messages(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select ($"{type.FullName}.{method.Name}", attribute.EventId);
}
