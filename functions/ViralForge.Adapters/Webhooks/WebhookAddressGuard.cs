using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ViralForge.Core;
using ViralForge.Core.Webhooks;

namespace ViralForge.Adapters.Webhooks;

/// <summary>Resolves a host name to its addresses; a seam so that tests can play a DNS server that changes its answer.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system's resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A webhook URL or address the SSRF guard refuses; the message says which rule and what to use instead.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>
/// The SSRF guard of outbound webhooks. A subscription's URL is checked when it is made (https under gcp, no credentials
/// in it, no metadata host, and every address its host resolves to public), and again at every delivery, on the address
/// the connection is actually opened to (<see cref="ConnectAsync"/>, the SocketsHttpHandler's ConnectCallback): a DNS
/// answer that changed since (rebinding) cannot point a delivery at this network.
/// </summary>
public sealed class WebhookAddressGuard(IHostResolver resolver, IOptions<WebhookOptions> options, ViralForgeProfile profile)
{
    /// <summary>Host names of cloud metadata servers, refused whatever they resolve to.</summary>
    public static IReadOnlyList<string> MetadataHosts { get; } = ["metadata.google.internal", "metadata", "metadata.goog"];

    private static readonly IPAddress MetadataV4 = IPAddress.Parse("169.254.169.254");

    /// <summary>
    /// Why an address may not receive webhooks ("loopback", "private", ...), or null when it is a public unicast address.
    /// IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 address it carries.
    /// </summary>
    public static string? RefusalFor(IPAddress address, bool allowPrivateNetworks = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedV4(address) is { } v4)
        {
            address = v4;
        }
        var reason = address.AddressFamily == AddressFamily.InterNetwork ? V4Refusal(address.GetAddressBytes()) : V6Refusal(address);
        // Even a receiver on this network never gets the metadata server: its answers hold the service account's tokens.
        return reason is null or "metadata" || !allowPrivateNetworks || reason is "unspecified" or "multicast" or "broadcast" or "reserved" ? reason : null;
    }

    /// <summary>
    /// The URL's problems that need no DNS: not absolute http(s), http under gcp, user info, a metadata host, a literal
    /// address that is refused. Null when none.
    /// </summary>
    public string? CheckSyntax(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "url must be an absolute https URL, such as https://hooks.example.com/viralforge.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && profile == ViralForgeProfile.Gcp)
        {
            return $"url must use https (it is {uri.Scheme}): deliveries carry job data and are only sent encrypted.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not carry a user name or password; the signature (webhook-signature) authenticates each delivery.";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "url must not have a #fragment.";
        }
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (MetadataHosts.Contains(host, StringComparer.Ordinal) || host.EndsWith(".internal", StringComparison.Ordinal))
        {
            return $"url points at {host}, a cloud metadata or internal host; webhooks go to public addresses only.";
        }
        if ((host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)) && !options.Value.AllowPrivateNetworks)
        {
            return $"url points at {host}, this machine; webhooks go to public addresses only (locally, set {WebhookOptions.SectionName}:AllowPrivateNetworks=true).";
        }
        if (IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host, out var literal))
        {
            return Refused(host, literal);
        }
        return null;
    }

    /// <summary>Checks the URL as a subscription is made: its syntax, then every address its host resolves to now.</summary>
    public async Task<string?> CheckAsync(string? url, CancellationToken cancellationToken)
    {
        if (CheckSyntax(url) is { } problem)
        {
            return problem;
        }
        var uri = new Uri(url!);
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            return null;
        }
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"url's host {uri.IdnHost} does not resolve; check the name.";
        }
        if (addresses.Length == 0)
        {
            return $"url's host {uri.IdnHost} does not resolve; check the name.";
        }
        return addresses.Select(a => Refused(uri.IdnHost, a)).FirstOrDefault(r => r is not null);
    }

    /// <summary>
    /// The SocketsHttpHandler's ConnectCallback: resolves the host itself, drops every refused address, and connects to the
    /// first allowed one that answers. No allowed address: a <see cref="WebhookAddressRefusedException"/> (the sender's
    /// HttpRequestException carries it).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(a => RefusalFor(a, options.Value.AllowPrivateNetworks) is null).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException(addresses.Length == 0
                ? $"{host} does not resolve"
                : Refused(host, addresses[0]) ?? $"{host} has no address webhooks may go to");
        }
        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private string? Refused(string host, IPAddress address)
    {
        if (RefusalFor(address, options.Value.AllowPrivateNetworks) is not { } reason)
        {
            return null;
        }
        var what = IPAddress.TryParse(host.Trim('[', ']'), out var literal) && literal.Equals(address)
            ? $"url's address {address} is a {reason} address"
            : $"url's host {host} is {address}, a {reason} address";
        return $"{what}; webhooks go to public addresses only.";
    }

    private static string? V4Refusal(byte[] b)
    {
        if (new IPAddress(b).Equals(MetadataV4))
        {
            return "metadata";
        }
        return b[0] switch
        {
            0 => "unspecified",
            10 => "private",
            127 => "loopback",
            100 when b[1] is >= 64 and <= 127 => "carrier-grade NAT",
            169 when b[1] == 254 => "link-local",
            172 when b[1] is >= 16 and <= 31 => "private",
            192 when b[1] == 168 => "private",
            192 when b[1] == 0 && b[2] == 0 => "reserved",
            198 when b[1] is 18 or 19 => "reserved",
            >= 224 and <= 239 => "multicast",
            255 when b[1] == 255 && b[2] == 255 && b[3] == 255 => "broadcast",
            >= 240 => "reserved",
            _ => null,
        };
    }

    private static string? V6Refusal(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }
        var b = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }
        if ((b[0] & 0xFE) == 0xFC)
        {
            return "unique-local";
        }
        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }
        return null;
    }

    /// <summary>The IPv4 address an IPv6 one carries: ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d (NAT64) or 2002:aabb:ccdd:: (6to4).</summary>
    private static IPAddress? EmbeddedV4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }
        return null;
    }
}
