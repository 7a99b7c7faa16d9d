namespace ViralForge.Bot.LocalPage;

/// <summary>
/// The "Your name" field of the review page's forms: who decided, recorded as reviewer local:&lt;name&gt;. The page is
/// for the person at this machine, so the name is what they say it is; it is remembered in a cookie (this page's path,
/// same-site only) and filled in next time.
/// </summary>
public static class ReviewerName
{
    /// <summary>The form field every decision and script form carries.</summary>
    public const string Field = "reviewer";

    public const string CookieName = "vf-reviewer";

    /// <summary>The longest name kept; a longer one is refused rather than cut.</summary>
    public const int MaxLength = 100;

    /// <summary>The sentence shown when a form came without a name.</summary>
    public const string Missing = "Fill in Your name: the decision is recorded under it. Nothing was decided.";

    /// <summary>The name from the form, trimmed, or why it cannot be used.</summary>
    public static (string? Name, string? Error) Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var name = form[Field].ToString().Trim();
        if (name.Length == 0)
        {
            return (null, Missing);
        }
        if (name.Length > MaxLength)
        {
            return (null, $"Keep Your name under {MaxLength} characters.");
        }
        if (name.Any(char.IsControl))
        {
            return (null, "Your name cannot hold line breaks or control characters.");
        }
        return (name, null);
    }

    /// <summary>The name this browser gave last time, to fill the field with; null when none (or one that would not be accepted).</summary>
    public static string? Remembered(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Cookies[CookieName];
        return value is { Length: > 0 and <= MaxLength } && !value.Any(char.IsControl) ? value : null;
    }

    /// <summary>Remembers the name for a year, for this page only.</summary>
    public static void Remember(HttpResponse response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieName, name, new CookieOptions
        {
            Path = "/review",
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(365),
        });
    }
}
