using System.Text.Json.Serialization;

namespace ViralForge.Adapters.Google.Storage;

/// <summary>The object resource sent when a resumable upload starts; Cloud Storage checks the bytes against md5Hash.</summary>
internal sealed record UploadMetadata(string Name, string ContentType, string Md5Hash);

/// <summary>The fields of an object resource we read. int64 fields (size, generation) are strings in Google's JSON.</summary>
internal sealed record StorageObject(string? Name, string? Bucket, string? Generation, string? Size, string? Md5Hash, string? Crc32c, string? ContentType);

/// <summary>One page of objects.list.</summary>
internal sealed record StorageObjectList(List<StorageObject>? Items, string? NextPageToken);

/// <summary>IAM Credentials signBlob: the bytes to sign, base64.</summary>
internal sealed record SignBlobRequest(string Payload);

/// <summary>IAM Credentials signBlob's answer: the RSA-SHA256 signature, base64.</summary>
internal sealed record SignBlobResponse(string? KeyId, string? SignedBlob);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadMetadata))]
[JsonSerializable(typeof(StorageObject))]
[JsonSerializable(typeof(StorageObjectList))]
[JsonSerializable(typeof(SignBlobRequest))]
[JsonSerializable(typeof(SignBlobResponse))]
internal sealed partial class StorageJson : JsonSerializerContext;
