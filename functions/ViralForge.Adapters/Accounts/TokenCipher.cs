using System.Security.Cryptography;
using System.Text;

namespace ViralForge.Adapters.Accounts;

/// <summary>A refresh token as the vault stores it: AES-GCM ciphertext, its nonce and tag, and the id of the key.</summary>
public sealed record SealedToken(byte[] Ciphertext, byte[] Nonce, byte[] Tag, string KeyId);

/// <summary>
/// AES-256-GCM for the stored refresh tokens: a random 12-byte nonce per write (never reused with a key), and the
/// platform and account as associated data, so a token copied onto another account's row does not decrypt there.
/// </summary>
public sealed class TokenCipher(AccountKey key)
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public string KeyId => key.Id;

    public SealedToken Seal(string platform, string accountId, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var plain = Encoding.UTF8.GetBytes(token);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(platform, accountId));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedToken(cipher, nonce, tag, key.Id);
    }

    /// <summary>The token, or an <see cref="AccountKeyException"/> saying whether the key is another one or the row was changed.</summary>
    public string Open(string platform, string accountId, SealedToken sealedToken)
    {
        ArgumentNullException.ThrowIfNull(sealedToken);
        if (sealedToken.KeyId != key.Id)
        {
            throw new AccountKeyException(
                $"The {PlatformNames.Title(platform)} account {accountId} was stored with accounts key {sealedToken.KeyId}, but the key set now (Accounts:EncryptionKey or Accounts:KeyFile) is key {key.Id}; set the key it was stored with, or run ./vf connect {platform} again");
        }
        var plain = new byte[sealedToken.Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key.Key, TagBytes);
            aes.Decrypt(sealedToken.Nonce, sealedToken.Ciphertext, sealedToken.Tag, plain, AssociatedData(platform, accountId));
        }
        catch (CryptographicException e)
        {
            throw new AccountKeyException(
                $"The stored token of {PlatformNames.Title(platform)} account {accountId} does not decrypt with accounts key {key.Id}: it was changed or damaged in the database; run ./vf connect {platform} again", e);
        }
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] AssociatedData(string platform, string accountId) => Encoding.UTF8.GetBytes($"viralforge/{platform}/{accountId}");
}
