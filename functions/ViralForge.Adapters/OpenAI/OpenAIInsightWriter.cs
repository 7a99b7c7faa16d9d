using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;
using ViralForge.Core.Ports;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Reads the top trending videos with an OpenAI chat model and Structured Outputs (json_schema, strict): what they have
/// in common, and three hook lines in the row's language (<see cref="OpenAIInsightPrompt"/>). One call per analysis
/// attempt, looked up in the cost ledger first and recorded as soon as it answers, so a redelivery replays the answer it
/// paid for. Retries are <see cref="OpenAICallPolicy"/>'s; a refusal, a cut-off or a reply that is not the schema is a
/// <see cref="PermanentStageException"/> (no repair round: the insight is optional, and the analysis stage goes on
/// without it).
/// </summary>
public sealed class OpenAIInsightWriter : ITrendInsightWriter
{
    private readonly ChatClient chat;
    private readonly OpenAIOptions settings;
    private readonly string model;
    private readonly string modelSetting;
    private readonly ICostLedger ledger;
    private readonly OpenAICallPolicy policy;
    private readonly ILogger<OpenAIInsightWriter> log;

    public OpenAIInsightWriter(IOptions<OpenAIOptions> options, ICostLedger ledger, OpenAICallPolicy policy, ILogger<OpenAIInsightWriter> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = options.Value;
        var key = settings.IsConfigured ? settings.ApiKey! : throw new InvalidOperationException("OpenAI:ApiKey is not set; the analysis goes without an insight.");
        (model, modelSetting) = string.IsNullOrWhiteSpace(settings.InsightModel)
            ? (settings.ScriptModel, "OpenAI:ScriptModel")
            : (settings.InsightModel, "OpenAI:InsightModel");
        chat = new ChatClient(model, new ApiKeyCredential(key), OpenAICallPolicy.ClientOptions(settings));
        this.ledger = ledger;
        this.policy = policy;
        this.log = log;
    }

    /// <summary>What the insight's <see cref="TrendInsight.Source"/> says: "openai gpt-5.4-mini".</summary>
    public string Source => $"{OpenAIScriptWriter.Provider} {model}";

    public async Task<TrendInsight?> WriteAsync(InsightRequest request, PaidWork? work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TopVideos.Count == 0)
        {
            // Nothing to read: no call, nothing paid.
            return null;
        }
        var call = await CallAsync(request, work, cancellationToken);
        try
        {
            var reply = Read(call);
            var insight = new TrendInsight(reply.Common, reply.HookLines, request.Language, Source, request.TopVideos.Count);
            log.InsightWritten(work?.JobId, insight.Common.Count, insight.HookLines.Count, request.Language);
            return insight;
        }
        catch (PermanentStageException e)
        {
            log.InsightUnusable(work?.JobId, e.Message);
            throw;
        }
    }

    /// <summary>The reply's lines, cleaned, or why the answer cannot be used (the ledger replays it, so it cannot be retried).</summary>
    private static InsightReply Read(ChatCallRecord call)
    {
        if (!string.IsNullOrWhiteSpace(call.Refusal))
        {
            throw new PermanentStageException($"the insight model refused (\"{call.Refusal.Trim()}\")");
        }
        switch (call.FinishReason)
        {
            case "length":
                throw new PermanentStageException("the insight model's answer was cut off at OpenAI:MaxOutputTokens");
            case "content_filter":
                throw new PermanentStageException("OpenAI's content filter stopped the insight");
        }
        InsightReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(call.Content ?? "", OpenAIInsightJson.Default.InsightReply);
        }
        catch (JsonException e)
        {
            throw new PermanentStageException($"the insight model's reply is not the JSON of the schema {OpenAIInsightPrompt.SchemaName} ({e.Message})");
        }
        if (reply is null)
        {
            throw new PermanentStageException($"the insight model's reply is not the JSON of the schema {OpenAIInsightPrompt.SchemaName} (it is null)");
        }
        var common = Clean(reply.Common).Take(OpenAIInsightPrompt.MaxCommonLines).ToList();
        var hooks = Clean(reply.HookLines).ToList();
        if (common.Count == 0)
        {
            throw new PermanentStageException("the insight model said nothing the top videos have in common");
        }
        if (hooks.Count != OpenAIInsightPrompt.HookLineCount)
        {
            throw new PermanentStageException($"the insight model gave {hooks.Count} hook lines, not {OpenAIInsightPrompt.HookLineCount}");
        }
        return new InsightReply(common, hooks);
    }

    /// <summary>Lines trimmed of space and the quotation marks models put around them; empty ones dropped.</summary>
    private static IEnumerable<string> Clean(IReadOnlyList<string> lines) =>
        lines.Select(l => l.Trim().Trim('"', '\u201C', '\u201D', '\u00AB', '\u00BB').Trim()).Where(l => l.Length > 0);

    /// <summary>The ledger's stored answer for <paramref name="work"/>, or a paid call recorded as soon as it answers.</summary>
    private async Task<ChatCallRecord> CallAsync(InsightRequest request, PaidWork? work, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            // "system" rather than "developer", as the script writer does (DeveloperChatMessage is OPENAI001 in 2.15).
            new SystemChatMessage(OpenAIInsightPrompt.Instructions(request)),
            new UserChatMessage(OpenAIInsightPrompt.Brief(request)),
        ];
        try
        {
            return await PaidChatCall.RunAsync(chat, policy, ledger, settings, log,
                new ChatCallSpec("insight", model, modelSetting, OpenAIInsightPrompt.Version, OpenAIInsightPrompt.SchemaName, OpenAIInsightPrompt.Schema),
                messages, work, cancellationToken);
        }
        catch (OpenAIUnavailableException e)
        {
            // The analysis stage goes on without the insight rather than give the task back, so the policy's "the queue
            // retries later" would be untrue in the job's note.
            throw new OpenAIUnavailableException(
                e.Message.Replace(", so the queue retries later", "", StringComparison.Ordinal).Replace(", the queue retries later", "", StringComparison.Ordinal),
                e.RetryAfter);
        }
    }
}
