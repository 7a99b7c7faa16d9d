using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;
using ViralForge.Core;
using ViralForge.Core.Jobs;
using ViralForge.Core.Ports;
using ViralForge.Core.Scripts;
using ViralForge.Core.Stages;
using ViralForge.Core.Trends;

namespace ViralForge.Adapters.OpenAI;

/// <summary>
/// Writes the script with an OpenAI chat model and Structured Outputs (json_schema, strict), in the row's language,
/// from the row and the trend analysis (<see cref="ScriptPrompt"/>). The reply is checked against
/// <see cref="ScriptRules"/>; a reply that breaks them gets one repair round trip with the broken rules, and then fails
/// the row with them. Every call is looked up in the cost ledger first and recorded after, so a redelivered attempt
/// replays the answers it paid for instead of paying again.
/// </summary>
public sealed class OpenAIScriptWriter : IScriptWriter
{
    /// <summary>The ledger's provider name for every OpenAI call.</summary>
    public const string Provider = "openai";

    /// <summary>The ledger's unit for chat calls: input plus output tokens (the split is in the recorded result).</summary>
    public const string TokenUnit = "tokens";

    private readonly ChatClient chat;
    private readonly OpenAIOptions settings;
    private readonly double wordsPerMinute;
    private readonly ICostLedger ledger;
    private readonly OpenAICallPolicy policy;
    private readonly ILogger<OpenAIScriptWriter> log;

    public OpenAIScriptWriter(
        IOptions<OpenAIOptions> options,
        IOptions<ViralForgeOptions> viralForge,
        ICostLedger ledger,
        OpenAICallPolicy policy,
        ILogger<OpenAIScriptWriter> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(viralForge);
        settings = options.Value;
        var key = settings.IsConfigured ? settings.ApiKey! : throw new InvalidOperationException("OpenAI:ApiKey is not set; the offline script writer is used without it.");
        chat = new ChatClient(settings.ScriptModel, new ApiKeyCredential(key), OpenAICallPolicy.ClientOptions(settings));
        wordsPerMinute = viralForge.Value.Media.WordsPerMinute;
        this.ledger = ledger;
        this.policy = policy;
        this.log = log;
    }

    /// <summary>Writes without a ledger key: every call is paid (tools and tests; the script stage passes its work).</summary>
    public Task<VideoScript> WriteAsync(VideoRequest request, TrendAnalysis analysis, CancellationToken cancellationToken) =>
        WriteAsync(request, analysis, null, cancellationToken);

    public async Task<VideoScript> WriteAsync(VideoRequest request, TrendAnalysis analysis, PaidWork? work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(analysis);
        List<ChatMessage> messages =
        [
            // "system" rather than "developer": OpenAI treats them alike for reasoning models, and 2.15 still marks
            // DeveloperChatMessage experimental (OPENAI001).
            new SystemChatMessage(ScriptPrompt.Instructions(request, wordsPerMinute)),
            new UserChatMessage(ScriptPrompt.Brief(request, analysis)),
        ];
        var first = await CallAsync(messages, work, cancellationToken);
        var (script, errors) = Read(first, request);
        if (script is not null)
        {
            return script;
        }

        log.Repairing(work?.JobId, errors.Count, string.Join("; ", errors));
        messages.Add(new AssistantChatMessage(first.Content ?? ""));
        messages.Add(new UserChatMessage(ScriptPrompt.Repair(errors)));
        var second = await CallAsync(messages, work?.For("script-repair"), cancellationToken);
        (script, errors) = Read(second, request);
        // The same answers replay from the ledger on a redelivery, so another attempt could only fail the same way.
        return script ?? throw new PermanentStageException($"The script writer could not meet the row's limits after one repair: {string.Join("; ", errors)}.");
    }

    /// <summary>
    /// The script in the answer, or the rules it breaks. Answers no repair can fix end the row here: each would come
    /// back the same from the ledger on a redelivery, and from the model for the same request.
    /// </summary>
    private (VideoScript? Script, IReadOnlyList<string> Errors) Read(ChatCallRecord call, VideoRequest request)
    {
        if (!string.IsNullOrWhiteSpace(call.Refusal))
        {
            // A refusal is the model's judgement of the row's content, not a fault (API_PROVIDERS.md 1a).
            throw new PermanentStageException($"The script model refused to write this script (\"{call.Refusal.Trim()}\"); edit the row's Topic or Notes.");
        }
        if (call.FinishReason == "length")
        {
            // Truncated JSON: the budget was too small for this row; the same budget cuts the same answer off again.
            throw new PermanentStageException(
                $"The script model's answer was cut off at OpenAI:MaxOutputTokens ({settings.MaxOutputTokens} tokens) before the script was complete; raise OpenAI:MaxOutputTokens or shorten the row's Duration.");
        }
        if (call.FinishReason == "content_filter")
        {
            throw new PermanentStageException("OpenAI's content filter stopped the script; edit the row's Topic or Notes.");
        }
        ScriptReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(call.Content ?? "", OpenAIScriptJson.Default.ScriptReply);
        }
        catch (JsonException e)
        {
            // Strict mode should make this impossible; when it happens anyway the repair asks for the schema again.
            return (null, [$"the reply is not the JSON of the schema {ScriptPrompt.SchemaName} ({e.Message})"]);
        }
        if (reply is null)
        {
            return (null, [$"the reply is not the JSON of the schema {ScriptPrompt.SchemaName} (it is null)"]);
        }
        var errors = ScriptRules.Check(reply, request, wordsPerMinute);
        return errors.Count == 0 ? (ScriptRules.ToScript(reply, request, wordsPerMinute), []) : (null, errors);
    }

    /// <summary>One chat call: the ledger's stored answer for <paramref name="work"/>, or a paid call recorded as soon as it answers.</summary>
    private Task<ChatCallRecord> CallAsync(List<ChatMessage> messages, PaidWork? work, CancellationToken cancellationToken) =>
        PaidChatCall.RunAsync(chat, policy, ledger, settings, log,
            new ChatCallSpec(work?.Call ?? "script", settings.ScriptModel, "OpenAI:ScriptModel", ScriptPrompt.Version, ScriptPrompt.SchemaName, ScriptPrompt.Schema),
            messages, work, cancellationToken);
}
