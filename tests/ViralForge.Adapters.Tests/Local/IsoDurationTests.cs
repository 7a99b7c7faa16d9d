using ViralForge.Adapters.Local;

namespace ViralForge.Adapters.Tests.Local;

public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("PT1M5S", 65)]
    [InlineData("PT45S", 45)]
    [InlineData("PT2M", 120)]
    [InlineData("PT1H", 3_600)]
    [InlineData("PT1H2M3S", 3_723)]
    [InlineData("P1DT2H3M4S", 93_784)]
    [InlineData("P1W", 604_800)]
    [InlineData("P0D", 0)]
    [InlineData("PT0S", 0)]
    [InlineData("PT1.5S", 1.5)]
    public void Parses(string value, double seconds)
    {
        Assert.Equal(seconds, IsoDuration.Parse(value).TotalSeconds, 9);
        Assert.True(IsoDuration.TryParse(value, out var parsed));
        Assert.Equal(seconds, parsed.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("1M5S")]
    [InlineData("PT5")]
    [InlineData("PT-5S")]
    [InlineData("pt5s")]
    [InlineData("PT5S ")]
    [InlineData("PT5S\n")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("PT1S1M")]
    [InlineData("P99999999999999D")]
    public void Refuses_bad_input_naming_it(string value)
    {
        var error = Assert.Throws<FormatException>(() => IsoDuration.Parse(value));

        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("PT1M5S", error.Message, StringComparison.Ordinal);
        Assert.False(IsoDuration.TryParse(value, out _));
    }

    [Fact]
    public void Null_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => IsoDuration.Parse(null!));
        Assert.False(IsoDuration.TryParse(null, out _));
    }
}
