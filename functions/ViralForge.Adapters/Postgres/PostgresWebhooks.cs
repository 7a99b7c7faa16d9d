using Npgsql;
using NpgsqlTypes;
using ViralForge.Core.Webhooks;

namespace ViralForge.Adapters.Postgres;

/// <summary>Webhook subscriptions, recorded events and the delivery log in PostgreSQL (sql/014_webhooks.sql).</summary>
public sealed class PostgresWebhooks(NpgsqlDataSource dataSource) : IWebhookStore
{
    private const string SubscriptionColumns = "id, url, events, secret, created_at, disabled_at, disabled_reason, first_failure_at";
    private const string EventColumns = "id, job_id, type, payload, created_at";
    private const string DeliveryColumns = "subscription_id, event_id, event_type, attempt, status_code, error, succeeded, at";

    public async Task AddSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhook_subscriptions ({SubscriptionColumns})
            VALUES (@id, @url, @events, @secret, @created, @disabled, @reason, @first_failure)
            """);
        command.Parameters.AddWithValue("id", subscription.Id);
        command.Parameters.AddWithValue("url", subscription.Url.AbsoluteUri);
        command.Parameters.AddWithValue("events", subscription.Events.ToArray());
        command.Parameters.AddWithValue("secret", subscription.Secret);
        command.Parameters.AddWithValue("created", subscription.CreatedAt);
        command.Parameters.Add(new NpgsqlParameter("disabled", NpgsqlDbType.TimestampTz) { Value = (object?)subscription.DisabledAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)subscription.DisabledReason ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("first_failure", NpgsqlDbType.TimestampTz) { Value = (object?)subscription.FirstFailureAt ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WebhookSubscription?> GetSubscriptionAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await PostgresJobStore.ReadAll(command, ReadSubscription, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM webhook_subscriptions ORDER BY created_at, id");
        return await PostgresJobStore.ReadAll(command, ReadSubscription, cancellationToken);
    }

    public async Task<bool> DeleteSubscriptionAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_subscriptions WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RecordEventAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhook_events ({EventColumns})
            VALUES (@id, @job, @type, @payload, @created)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", webhookEvent.Id);
        command.Parameters.AddWithValue("job", webhookEvent.JobId);
        command.Parameters.AddWithValue("type", webhookEvent.Type);
        command.Parameters.AddWithValue("payload", webhookEvent.Payload);
        command.Parameters.AddWithValue("created", webhookEvent.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<WebhookEvent?> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EventColumns} FROM webhook_events WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await PostgresJobStore.ReadAll(command, ReadEvent, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<WebhookEvent>> ListUndispatchedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {EventColumns} FROM webhook_events
            WHERE job_id = @job AND dispatched_at IS NULL
            ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("job", jobId);
        return await PostgresJobStore.ReadAll(command, ReadEvent, cancellationToken);
    }

    public async Task MarkDispatchedAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE webhook_events SET dispatched_at = @at WHERE id = @id AND dispatched_at IS NULL");
        command.Parameters.AddWithValue("id", eventId);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> WasDeliveredAsync(Guid subscriptionId, string eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE subscription_id = @sub AND event_id = @event AND succeeded)
            """);
        command.Parameters.AddWithValue("sub", subscriptionId);
        command.Parameters.AddWithValue("event", eventId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<int> CountAttemptsAsync(Guid subscriptionId, string eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @sub AND event_id = @event");
        command.Parameters.AddWithValue("sub", subscriptionId);
        command.Parameters.AddWithValue("event", eventId);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<WebhookSubscription?> RecordAttemptAsync(WebhookAttempt attempt, TimeSpan disableAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        // One statement logs the attempt and moves the subscription's run of failures, so two attempts at once cannot
        // lose a failure's start or disable it twice.
        await using var command = dataSource.CreateCommand($"""
            WITH logged AS (
                INSERT INTO webhook_deliveries ({DeliveryColumns})
                SELECT @sub, @event, @type, @attempt, @status::integer, @error::text, @ok, @at
                WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = @sub)
            ), decided AS (
                SELECT id, NOT @ok AND disabled_at IS NULL AND COALESCE(first_failure_at, @at) <= @cutoff AS disable
                FROM webhook_subscriptions WHERE id = @sub
            )
            UPDATE webhook_subscriptions s SET
                first_failure_at = CASE WHEN @ok THEN NULL ELSE COALESCE(s.first_failure_at, @at) END,
                disabled_at = CASE WHEN d.disable THEN @at ELSE s.disabled_at END,
                disabled_reason = CASE WHEN d.disable
                    THEN 'every delivery failed since ' || to_char(s.first_failure_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC; the last: ' || COALESCE(@error::text, 'no answer')
                    ELSE s.disabled_reason END
            FROM decided d
            WHERE s.id = d.id
            RETURNING {string.Join(", ", SubscriptionColumns.Split(", ").Select(c => "s." + c))}
            """);
        command.Parameters.AddWithValue("sub", attempt.SubscriptionId);
        command.Parameters.AddWithValue("event", attempt.EventId);
        command.Parameters.AddWithValue("type", attempt.EventType);
        command.Parameters.AddWithValue("attempt", attempt.Attempt);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = (object?)attempt.StatusCode ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)attempt.Error ?? DBNull.Value });
        command.Parameters.AddWithValue("ok", attempt.Succeeded);
        command.Parameters.AddWithValue("at", attempt.At);
        command.Parameters.AddWithValue("cutoff", attempt.At - disableAfter);
        return (await PostgresJobStore.ReadAll(command, ReadSubscription, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<WebhookAttempt>> ListDeliveriesAsync(Guid subscriptionId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries
            WHERE subscription_id = @sub
            ORDER BY id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("sub", subscriptionId);
        command.Parameters.AddWithValue("limit", limit);
        return await PostgresJobStore.ReadAll(command, ReadAttempt, cancellationToken);
    }

    private static WebhookSubscription ReadSubscription(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        new Uri(r.GetString(1)),
        r.GetFieldValue<string[]>(2),
        r.GetString(3),
        r.GetFieldValue<DateTimeOffset>(4),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7));

    private static WebhookEvent ReadEvent(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4));

    private static WebhookAttempt ReadAttempt(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.GetString(2),
        r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetBoolean(6),
        r.GetFieldValue<DateTimeOffset>(7));
}
