using System.Security.Cryptography;
using System.Text;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Accounts;

/// <summary>
/// A problem with the key that encrypts the stored refresh tokens: missing, malformed, or not the key a token was stored
/// with. Permanent (retrying cannot fix a setting), and said in one line naming the setting and the fix, never the key.
/// </summary>
public sealed class AccountKeyException(string message, Exception? inner = null) : PermanentStageException(message, inner);

/// <summary>
/// The 256-bit AES key of the token vault and its key id. The id is a hash prefix stored with every token, so a token
/// encrypted with another key is told apart from a damaged one, without the key itself ever being stored.
/// </summary>
public sealed class AccountKey
{
    public const int Bytes = 32;

    private const string Setting = "Accounts:EncryptionKey";

    private AccountKey(byte[] key)
    {
        Key = key;
        Id = IdOf(key);
    }

    /// <summary>The key bytes; handed only to AesGcm.</summary>
    internal byte[] Key { get; }

    /// <summary>The first 12 hex digits of SHA-256("viralforge accounts key" + key): names the key, reveals nothing of it.</summary>
    public string Id { get; }

    public static AccountKey FromBytes(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length == Bytes ? new AccountKey([.. key]) : throw new AccountKeyException($"The accounts key is {key.Length} bytes; it must be {Bytes}.");
    }

    /// <summary>A new random key, base64 (what `openssl rand -base64 32` prints).</summary>
    public static string NewBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>
    /// The key from <see cref="AccountsOptions.EncryptionKey"/>, or else from <see cref="AccountsOptions.KeyFile"/>, which
    /// is created with a new random key (mode 0600) when it does not exist yet.
    /// </summary>
    public static AccountKey Load(AccountsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            return new AccountKey(Decode(options.EncryptionKey, Setting, $"set {Setting} (Accounts__EncryptionKey) to 32 random bytes in base64, such as the output of `openssl rand -base64 32`"));
        }
        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            throw new AccountKeyException(
                $"{Setting} is not set and Accounts:KeyFile is empty, so the connected accounts' tokens cannot be read or stored; set {Setting} to 32 random bytes in base64 (`openssl rand -base64 32`; Secret Manager's vf-accounts-key in gcp)");
        }
        var path = Path.GetFullPath(options.KeyFile);
        if (!File.Exists(path))
        {
            Create(path);
        }
        CheckPrivate(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AccountKeyException($"The accounts key file {path} cannot be read ({e.GetType().Name}); make it readable by this user (chmod 600 {path})", e);
        }
        return new AccountKey(Decode(text, $"The accounts key file {path}",
            $"restore the file from a backup, or set {Setting}; a new key means running ./vf connect again for every account"));
    }

    private static byte[] Decode(string text, string what, string fix)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException e)
        {
            // The text is a secret (or part of one): it is never repeated, only described.
            throw new AccountKeyException($"{what} is not base64; {fix}", e);
        }
        return key.Length == Bytes ? key : throw new AccountKeyException($"{what} decodes to {key.Length} bytes, not {Bytes}; {fix}");
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created private, not chmod-ed afterwards: there is no moment at which another user could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(Encoding.ASCII.GetBytes(NewBase64() + "\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another vf created it first: that key is the one to use.
        }
    }

    private static void CheckPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((File.GetUnixFileMode(path) & others) != 0)
        {
            throw new AccountKeyException($"The accounts key file {path} is readable or writable by other users; run chmod 600 {path}");
        }
    }

    private static string IdOf(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("viralforge accounts key"), .. key]))[..12];
}
