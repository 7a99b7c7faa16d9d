using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Functions.Api;

/// <summary>Settings of the public Jobs API (docs/API.md), section Api.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>Requests a minute per API key, or per Google account for ID tokens. Default 120.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Rows in one POST /v1/jobs. Default 100.</summary>
    public int MaxRowsPerRequest { get; set; } = 100;

    /// <summary>Jobs in one page of GET /v1/jobs when the caller gives no limit. Default 25.</summary>
    public int DefaultPageSize { get; set; } = 25;

    /// <summary>The largest limit GET /v1/jobs takes. Default 100.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// The aud Google ID tokens must carry (an OAuth client id). Empty: the add-on's Addon:OAuthClientId; with neither
    /// set the API takes only API keys. The token's verified email must be on the add-on's allow-list either way.
    /// </summary>
    public string? GoogleAudience { get; set; }

    /// <summary>How long an Idempotency-Key's answer is kept for repeats. Default a day.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RequestsPerMinute is < 1 or > 100_000)
        {
            yield return new ValidationResult($"Api:RequestsPerMinute {RequestsPerMinute} must be from 1 to 100000.", [nameof(RequestsPerMinute)]);
        }
        if (MaxRowsPerRequest is < 1 or > 1_000)
        {
            yield return new ValidationResult($"Api:MaxRowsPerRequest {MaxRowsPerRequest} must be from 1 to 1000.", [nameof(MaxRowsPerRequest)]);
        }
        if (MaxPageSize is < 1 or > 1_000)
        {
            yield return new ValidationResult($"Api:MaxPageSize {MaxPageSize} must be from 1 to 1000.", [nameof(MaxPageSize)]);
        }
        if (DefaultPageSize < 1 || DefaultPageSize > MaxPageSize)
        {
            yield return new ValidationResult($"Api:DefaultPageSize {DefaultPageSize} must be from 1 to Api:MaxPageSize ({MaxPageSize}).", [nameof(DefaultPageSize)]);
        }
        if (IdempotencyWindow < TimeSpan.FromMinutes(1) || IdempotencyWindow > TimeSpan.FromDays(30))
        {
            yield return new ValidationResult($"Api:IdempotencyWindow {IdempotencyWindow} must be from 00:01:00 to 30.00:00:00.", [nameof(IdempotencyWindow)]);
        }
        if (GoogleAudience is { } audience && audience.Trim().Length != audience.Length)
        {
            yield return new ValidationResult("Api:GoogleAudience has spaces around it; it must equal the tokens' aud exactly.", [nameof(GoogleAudience)]);
        }
    }
}

/// <summary>Validates <see cref="ApiOptions"/> at start-up.</summary>
[OptionsValidator]
public sealed partial class ApiOptionsValidator : IValidateOptions<ApiOptions>;
