using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>
/// Sends one file through a resumable upload session: PUT chunks with Content-Range; a 308's Range says what the
/// server holds. A chunk that fails (dropped connection, timeout, 408/429/5xx) may have been stored in part, so the
/// upload never just repeats it: it asks the session (PUT, empty body, Content-Range: bytes */total) and goes on from
/// the first byte the server does not have.
/// </summary>
internal sealed class ResumableUpload(HttpClient http, Uri session, string key, string path, long size, CloudStorageOptions options, TimeProvider time, ILogger log)
{
    /// <summary>Resumes back off no longer than this, however many failures in a row.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public async Task<StorageObject> RunAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(size, 1, options.ChunkSize));
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            long? next = 0; // null: unknown until the session says
            var failures = 0;
            while (true)
            {
                var from = next;
                Answer answer;
                if (from is { } offset && offset < size)
                {
                    var length = (int)Math.Min(options.ChunkSize, size - offset);
                    file.Position = offset;
                    await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                    answer = await PutAsync(new ContentRangeHeaderValue(offset, offset + length - 1, size), buffer.AsMemory(0, length), cancellationToken);
                }
                else
                {
                    // The status question; with every byte sent (or an empty file) it is also what finishes the upload.
                    answer = await PutAsync(new ContentRangeHeaderValue(size), ReadOnlyMemory<byte>.Empty, cancellationToken);
                }

                switch (answer)
                {
                    case Answer.Done done:
                        return done.Object;
                    case Answer.Incomplete incomplete when from is { } sent && sent < size && incomplete.Next > sent:
                        next = incomplete.Next;
                        failures = 0;
                        break;
                    case Answer.Incomplete incomplete when from is null:
                        next = incomplete.Next;
                        log.UploadResuming(key, incomplete.Next, size);
                        break;
                    default:
                        // A failure, or a 308 that moved nothing: both count, so a stuck session cannot loop for ever.
                        var reason = answer is Answer.Failed failed ? failed.Reason : $"the session acknowledged no new bytes at {from}";
                        failures++;
                        if (failures > options.MaxRetryAttempts)
                        {
                            throw answer is Answer.Failed { Error: { } error }
                                ? error
                                : new IOException($"Upload of '{key}' to gs://{options.Bucket} made no progress after {failures} tries: {reason}");
                        }
                        log.UploadInterrupted(key, from, failures, options.MaxRetryAttempts, reason);
                        await Task.Delay(Backoff(failures), time, cancellationToken);
                        next = null;
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private TimeSpan Backoff(int failure)
    {
        var delay = options.RetryBaseDelay * Math.Pow(2, failure - 1);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    private async Task<Answer> PutAsync(ContentRangeHeaderValue range, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentRange = range;
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = content };
        using var timeout = new CancellationTokenSource(options.AttemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            return await AnswerAsync(response, linked.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer.Failed($"no answer within Google:Storage:AttemptTimeout ({options.AttemptTimeout})",
                new TimeoutException($"Upload of '{key}': no answer within Google:Storage:AttemptTimeout ({options.AttemptTimeout}).", ex));
        }
        catch (HttpRequestException ex)
        {
            return new Answer.Failed(ex.Message, ex);
        }
        catch (IOException ex)
        {
            return new Answer.Failed(ex.Message, ex);
        }
    }

    private async Task<Answer> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 200 or 201)
        {
            try
            {
                return new Answer.Done(await GoogleResponses.ReadJsonAsync(GcsBlobStore.Api, response, StorageJson.Default.StorageObject, cancellationToken));
            }
            catch (GoogleApiException ex)
            {
                // A garbled answer (a proxy, a connection cut mid-body) says nothing for sure; the session's own answer will.
                return new Answer.Failed(ex.Message, ex);
            }
        }
        if (status == 308)
        {
            return new Answer.Incomplete(NextByte(response));
        }
        var error = await GoogleResponses.ErrorAsync(GcsBlobStore.Api, response, cancellationToken);
        if (status is 408 or 429 || status >= 500)
        {
            return new Answer.Failed(error.Message, error);
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The session expired (about a week) or was cancelled: only a new upload helps, which the caller's retry starts.
            throw new GoogleApiException(GcsBlobStore.Api, status, $"the upload session of '{key}' is gone; the upload must start again", error.Status);
        }
        throw error;
    }

    /// <summary>"Range: bytes=0-N" means bytes 0..N are stored, so the next is N+1; no Range means none are.</summary>
    private static long NextByte(HttpResponseMessage response)
    {
        // Range is a request header to HttpClient, so read it unvalidated.
        if (!response.Headers.NonValidated.TryGetValues("Range", out var values))
        {
            return 0;
        }
        var text = values.ToString();
        var dash = text.LastIndexOf('-');
        return text.StartsWith("bytes=0-", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last + 1
            : throw new GoogleApiException(GcsBlobStore.Api, 308, $"answered with a Range header it does not document: '{text}'");
    }

    private abstract record Answer
    {
        public sealed record Done(StorageObject Object) : Answer;

        public sealed record Incomplete(long Next) : Answer;

        public sealed record Failed(string Reason, Exception? Error) : Answer;
    }
}
