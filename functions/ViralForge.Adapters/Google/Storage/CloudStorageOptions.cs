using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>The bucket that holds the blobs, how uploads are cut, and who signs read URLs (section Google:Storage).</summary>
public sealed class CloudStorageOptions : IValidatableObject
{
    public const string SectionName = "Google:Storage";

    /// <summary>Resumable upload chunks must be multiples of this (256 KiB), except the last.</summary>
    public const int ChunkGranularity = 256 * 1024;

    [Required(ErrorMessage = "Google:Storage:Bucket is required: the bucket that holds the jobs' files.")]
    [RegularExpression("^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$", ErrorMessage = "Google:Storage:Bucket must be a bucket name: 3-222 of a-z, 0-9, '.', '_' and '-'.")]
    public string Bucket { get; set; } = "";

    /// <summary>The JSON API and the host of signed URLs; only tests and emulators point it elsewhere.</summary>
    [Required(ErrorMessage = "Google:Storage:BaseAddress is required.")]
    public Uri BaseAddress { get; set; } = new("https://storage.googleapis.com/");

    /// <summary>Bytes per resumable upload request; a failed chunk is resumed from what the server kept, never from the start.</summary>
    [Range(ChunkGranularity, 1 << 30)]
    public int ChunkSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// The service account that signs read URLs through IAM signBlob (on Cloud Run: the service's own account, which
    /// then needs roles/iam.serviceAccountTokenCreator on itself). Not needed with <see cref="SigningKeyFile"/>.
    /// </summary>
    [EmailAddress(ErrorMessage = "Google:Storage:SigningServiceAccountEmail must be a service account email.")]
    public string? SigningServiceAccountEmail { get; set; }

    /// <summary>A service account JSON key to sign read URLs locally instead (no IAM call); its client_email names the signer.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The IAM Credentials API (signBlob); only tests point it elsewhere.</summary>
    [Required(ErrorMessage = "Google:Storage:IamCredentialsBaseAddress is required.")]
    public Uri IamCredentialsBaseAddress { get; set; } = new("https://iamcredentials.googleapis.com/");

    /// <summary>How long one request (one upload chunk included) may take before it is abandoned and retried or resumed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries of a request, and resumes of an upload in a row without progress, after 408, 429, 5xx, a dropped connection or a timeout.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's wait; it doubles for each further retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChunkSize % ChunkGranularity != 0)
        {
            yield return new ValidationResult(
                $"Google:Storage:ChunkSize {ChunkSize} must be a multiple of {ChunkGranularity} (256 KiB), as resumable uploads require.",
                [nameof(ChunkSize)]);
        }
        if (string.IsNullOrWhiteSpace(SigningServiceAccountEmail) && string.IsNullOrWhiteSpace(SigningKeyFile))
        {
            yield return new ValidationResult(
                "Google:Storage:SigningServiceAccountEmail (signing through IAM signBlob) or Google:Storage:SigningKeyFile (a service account key) is required to make read URLs.",
                [nameof(SigningServiceAccountEmail), nameof(SigningKeyFile)]);
        }
        if (!string.IsNullOrWhiteSpace(SigningKeyFile) && !File.Exists(SigningKeyFile))
        {
            yield return new ValidationResult($"Google:Storage:SigningKeyFile '{SigningKeyFile}' does not exist.", [nameof(SigningKeyFile)]);
        }
    }
}

/// <summary>Source-generated validation of <see cref="CloudStorageOptions"/>, run at start-up.</summary>
[OptionsValidator]
public sealed partial class CloudStorageOptionsValidator : IValidateOptions<CloudStorageOptions>;
