using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using ViralForge.Core.Ports;

namespace ViralForge.Adapters.OpenAI;

/// <summary>What one structured-output chat call asks: the schema its answer must follow and the prompt version it was built with.</summary>
/// <param name="Name">The call's name in the logs and the policy's messages (script, script-repair, insight).</param>
/// <param name="ModelSetting">The setting that chose <paramref name="Model"/>, named when the model is refused.</param>
public sealed record ChatCallSpec(string Name, string Model, string ModelSetting, string PromptVersion, string SchemaName, string Schema);

/// <summary>
/// One Structured Outputs chat call (json_schema, strict), paid once: the cost ledger's stored answer for the work when
/// there is one, otherwise the call through <see cref="OpenAICallPolicy"/>, costed at the configured prices and recorded
/// as soon as it answers, so a redelivered attempt replays what it paid for. The script writer and the insight writer
/// both call OpenAI this way.
/// </summary>
internal static class PaidChatCall
{
    public static async Task<ChatCallRecord> RunAsync(
        ChatClient chat, OpenAICallPolicy policy, ICostLedger ledger, OpenAIOptions settings, ILogger log,
        ChatCallSpec spec, IReadOnlyList<ChatMessage> messages, PaidWork? work, CancellationToken cancellationToken)
    {
        if (work is not null && await ledger.FindAsync(work, cancellationToken) is { Result: { } stored })
        {
            log.ReusedPaidCall(spec.Name, work.JobId, work.Generation);
            return stored.Deserialize(OpenAIScriptJson.Default.ChatCallRecord)
                ?? throw new InvalidDataException($"The cost ledger's result for {spec.Name} of job {work.JobId} is not a chat call.");
        }

        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                spec.SchemaName, BinaryData.FromString(spec.Schema), jsonSchemaFormatDescription: null, jsonSchemaIsStrict: true),
            MaxOutputTokenCount = settings.MaxOutputTokens,
        };
        ChatCompletion completion = await policy.SendAsync(spec.Name, spec.ModelSetting, ct => chat.CompleteChatAsync(messages, options, ct), cancellationToken);

        var usage = new TokenUsage(
            completion.Usage?.InputTokenCount ?? 0,
            completion.Usage?.InputTokenDetails?.CachedTokenCount ?? 0,
            completion.Usage?.OutputTokenCount ?? 0);
        var record = new ChatCallRecord(
            spec.Model,
            spec.PromptVersion,
            completion.Content.Count > 0 ? string.Concat(completion.Content.Select(part => part.Text)) : null,
            completion.Refusal,
            FinishReason(completion.FinishReason),
            usage);
        var usd = settings.Cost(spec.Model, usage);
        log.ChatCallCosted(spec.Name, spec.Model, usage.InputTokens, usage.CachedInputTokens, usage.OutputTokens, usd, settings.PricesAsOf);
        if (work is not null)
        {
            // Paid is paid: recorded even when the attempt is being cancelled, so a redelivery finds it.
            await ledger.RecordAsync(
                new PaidCall(work, OpenAIScriptWriter.Provider, usage.Total, OpenAIScriptWriter.TokenUnit, usd, settings.PricesAsOf, completion.Id,
                    JsonSerializer.SerializeToElement(record, OpenAIScriptJson.Default.ChatCallRecord)),
                CancellationToken.None);
        }
        return record;
    }

    /// <summary>The wire's finish_reason, as the ledger keeps it.</summary>
    private static string FinishReason(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ContentFilter => "content_filter",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.FunctionCall => "function_call",
        _ => reason.ToString(),
    };
}
