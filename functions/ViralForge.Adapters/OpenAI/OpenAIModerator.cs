using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Moderations;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// The brand-safety gate on OpenAI's moderation endpoint (POST /moderations, omni-moderation-latest by default). Free,
/// but its answer still goes through the cost ledger at 0 USD, so a redelivered attempt reuses it instead of asking again
/// (and cannot get a different verdict for the same script).
/// </summary>
/// <remarks>
/// The request goes through the package's protocol method, so the verdict keeps the wire's category names
/// ("harassment/threatening", "self-harm/intent") exactly as OpenAI gives them, for the row's Error cell.
/// </remarks>
public sealed class OpenAIModerator : IScriptModerator
{
    /// <summary>The ledger's unit for moderation calls.</summary>
    public const string RequestUnit = "requests";

    private readonly ModerationClient client;
    private readonly OpenAIOptions settings;
    private readonly ICostLedger ledger;
    private readonly OpenAICallPolicy policy;
    private readonly ILogger<OpenAIModerator> log;

    public OpenAIModerator(IOptions<OpenAIOptions> options, ICostLedger ledger, OpenAICallPolicy policy, ILogger<OpenAIModerator> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = options.Value;
        var key = settings.IsConfigured ? settings.ApiKey! : throw new InvalidOperationException("OpenAI:ApiKey is not set; scripts pass unmoderated without it.");
        client = new ModerationClient(settings.ModerationModel, new ApiKeyCredential(key), OpenAICallPolicy.ClientOptions(settings));
        this.ledger = ledger;
        this.policy = policy;
        this.log = log;
    }

    public async Task<ModerationVerdict> ModerateAsync(string text, PaidWork? work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = work?.Call ?? "moderation";
        if (work is not null && await ledger.FindAsync(work, cancellationToken) is { Result: { } stored })
        {
            log.ReusedPaidCall(name, work.JobId, work.Generation);
            return stored.Deserialize(OpenAIScriptJson.Default.ModerationVerdict)
                ?? throw new InvalidDataException($"The cost ledger's result for {name} of job {work.JobId} is not a moderation verdict.");
        }

        var (verdict, id) = await policy.SendAsync(name, "OpenAI:ModerationModel", async ct =>
        {
            using var body = BinaryContent.Create(BinaryData.FromBytes(RequestBody(settings.ModerationModel, text)));
            var result = await client.ClassifyTextAsync(body, new RequestOptions { CancellationToken = ct });
            return Read(result.GetRawResponse().Content);
        }, cancellationToken);
        log.Moderated(work?.JobId, verdict.Flagged, string.Join(", ", verdict.Categories));
        if (work is not null)
        {
            await ledger.RecordAsync(
                new PaidCall(work, OpenAIScriptWriter.Provider, 1, RequestUnit, 0m, settings.PricesAsOf, id,
                    JsonSerializer.SerializeToElement(verdict, OpenAIScriptJson.Default.ModerationVerdict)),
                CancellationToken.None);
        }
        return verdict;
    }

    /// <summary>{"model": …, "input": …}: one text, so one result.</summary>
    private static byte[] RequestBody(string model, string text)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteString("input", text);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Flagged when any result is; the categories are those set true in any result, in the wire's order
    /// ({"id","model","results":[{"flagged","categories":{name:bool},"category_scores":{…}}]}).
    /// </summary>
    private static (ModerationVerdict Verdict, string? Id) Read(BinaryData content)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            var root = json.RootElement;
            var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var flagged = false;
            var categories = new List<string>();
            foreach (var result in root.GetProperty("results").EnumerateArray())
            {
                flagged |= result.GetProperty("flagged").GetBoolean();
                foreach (var category in result.GetProperty("categories").EnumerateObject())
                {
                    if (category.Value.ValueKind == JsonValueKind.True && !categories.Contains(category.Name))
                    {
                        categories.Add(category.Name);
                    }
                }
            }
            return (new ModerationVerdict(flagged, categories), id);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not the moderation answer (a proxy's page, a changed API): retrying the same endpoint will not fix it.
            throw new Core.Stages.PermanentStageException($"OpenAI's moderation answer is not the expected JSON ({e.Message}); check OpenAI:Endpoint.");
        }
    }
}
