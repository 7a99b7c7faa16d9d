using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralForge.Adapters.Google;
using ViralForge.Adapters.Google.Sheets;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.Tests.Google.Sheets;

/// <summary>Settings, sheet ids and A1 ranges: the pure parts of the adapter.</summary>
public sealed class GoogleSheetsSettingsTests
{
    [Fact]
    public void Defaults_are_valid_and_stay_under_googles_write_quota()
    {
        var options = new GoogleSheetsOptions();

        Assert.True(new GoogleSheetsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("https://sheets.googleapis.com/", options.BaseAddress);
        Assert.Equal(TimeSpan.FromSeconds(2), options.FlushInterval);
        Assert.Equal(50, options.MaxWritesPerMinute);
        Assert.InRange(options.MaxWritesPerMinute, 1, 59);
    }

    [Theory]
    [InlineData("BaseAddress", "not a url")]
    [InlineData("FlushInterval", "00:00:00")]
    [InlineData("MaxWritesPerMinute", "0")]
    [InlineData("Timeout", "00:10:00")]
    [InlineData("MaxRetries", "-1")]
    [InlineData("RetryBaseDelay", "00:00:00")]
    public void A_bad_setting_stops_start_up_with_a_message_that_names_it(string name, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"Google:Sheets:{name}"] = value })
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddGoogleSheets(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_uses_application_default_credentials_unless_a_token_source_came_first()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var production = new ServiceCollection().AddLogging().AddGoogleSheets(configuration).BuildServiceProvider(validateScopes: true);
        var fixedToken = new FixedTokenSource("t");
        using var test = new ServiceCollection().AddLogging().AddSingleton<IGoogleAccessTokenSource>(fixedToken).AddGoogleSheets(configuration).BuildServiceProvider();

        Assert.IsType<GoogleSheetRegistry>(production.GetRequiredService<ISheetRegistry>());
        Assert.IsType<ApplicationDefaultTokenSource>(production.GetRequiredService<IGoogleAccessTokenSource>());
        Assert.Same(production.GetRequiredService<SheetsWriteLimiter>(), production.GetRequiredService<SheetsWriteLimiter>());
        Assert.Equal(new Uri("https://sheets.googleapis.com/"), production.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SheetsClient)).BaseAddress);
        Assert.Same(fixedToken, test.GetRequiredService<IGoogleAccessTokenSource>());
        // A host that disposes its services synchronously must not fail on the registry (it flushes either way).
        test.GetRequiredService<ISheetRegistry>().Open("gsheet:abc/Ideas");
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(27, "AB")]
    [InlineData(51, "AZ")]
    [InlineData(52, "BA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    [InlineData(16383, "XFD")]
    public void Column_letters_count_in_bijective_base_26(int index, string letters) =>
        Assert.Equal(letters, A1Notation.Column(index));

    [Theory]
    [InlineData("Ideas", 1, 0, 0, "'Ideas'!A1")]
    [InlineData("Ideas '24", 1, 0, 0, "'Ideas ''24'!A1")]
    [InlineData("Jon's_Data", 7, 26, 28, "'Jon''s_Data'!AA7:AC7")]
    [InlineData("A1", 12, 3, 3, "'A1'!D12")]
    [InlineData("Q1/Q2 ideas!", 2, 25, 26, "'Q1/Q2 ideas!'!Z2:AA2")]
    public void Ranges_always_quote_the_tab_and_double_its_apostrophes(string tab, int row, int first, int last, string range) =>
        Assert.Equal(range, A1Notation.Cells(tab, row, first, last));

    [Fact]
    public void Whole_rows_columns_and_tabs()
    {
        Assert.Equal("'Ideas ''24'", A1Notation.Tab("Ideas '24"));
        Assert.Equal("'Ideas'!1:1", A1Notation.Row("Ideas", 1));
        Assert.Equal("'Ideas'!AB:AB", A1Notation.WholeColumn("Ideas", 27));
    }

    [Theory]
    [InlineData("gsheet:1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/Ideas", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "Ideas")]
    [InlineData("gsheet:abc_-9/Ideas '24", "abc_-9", "Ideas '24")]
    [InlineData("gsheet:abc/Q1/Q2", "abc", "Q1/Q2")]
    [InlineData("gsheet:abc/ spaced ", "abc", " spaced ")]
    public void Sheet_ids_split_at_the_first_slash_and_round_trip(string text, string spreadsheetId, string tab)
    {
        var id = GoogleSheetId.Parse(text);

        Assert.Equal(spreadsheetId, id.SpreadsheetId);
        Assert.Equal(tab, id.Tab);
        Assert.Equal(text, id.ToString());
        Assert.True(GoogleSheetId.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("", "gsheet:<spreadsheet id>/<tab name>")]
    [InlineData("/work/ideas.csv", "gsheet:<spreadsheet id>/<tab name>")]
    [InlineData("GSHEET:abc/Ideas", "gsheet:<spreadsheet id>/<tab name>")]
    [InlineData("gsheet:abc", "gsheet:<spreadsheet id>/<tab name>")]
    [InlineData("gsheet:/Ideas", "gsheet:<spreadsheet id>/<tab name>")]
    [InlineData("gsheet:abc/", "needs the tab's name")]
    [InlineData("gsheet:abc/   ", "needs the tab's name")]
    [InlineData("gsheet:a b/Ideas", "is not a spreadsheet id")]
    [InlineData("gsheet:https://docs.google.com/spreadsheets/d/abc/edit", "is not a spreadsheet id")]
    public void Anything_else_is_refused_with_a_message_that_shows_the_form(string text, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => GoogleSheetId.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(GoogleSheetId.TryParse(text, out _));
    }
}
