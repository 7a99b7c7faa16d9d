using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using ViralForge.Core.Stages;

namespace ViralForge.Adapters.Local;

/// <summary>Writes Japanese kanji as hiragana with kakasi, because espeak-ng reads kana but says "Chinese letter" for every kanji.</summary>
/// <remarks>
/// kakasi (Debian's kakasi package, which ./vf installs) converts with its dictionary of readings, so 観葉植物 becomes
/// かんようしょくぶつ and 三つ becomes みっつ. Kana, Latin letters, digits and punctuation pass through unchanged.
/// </remarks>
internal static class KanaReader
{
    /// <summary>The kakasi command; found on PATH.</summary>
    public const string Command = "kakasi";

    /// <summary>True when <paramref name="text"/> has a CJK ideograph that espeak-ng's Japanese voice cannot read.</summary>
    public static bool HasKanji(string text) =>
        text.Any(c => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '々');

    /// <summary>
    /// Each token with its kanji written in hiragana, one output per input, in order (tokens go through kakasi as lines,
    /// so the spoken text keeps the written one's word boundaries and captions can show the written words).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ToKanaAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "-JH", "-i", "utf8", "-o", "utf8" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Command} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new PermanentStageException($"Japanese narration with kanji needs kakasi to read them (apt-get install kakasi, which ./vf installs): {e.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            // Line breaks inside a token would shift every later line; a token is whitespace-free by construction.
            await process.StandardInput.WriteAsync(string.Join('\n', tokens) + "\n");
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            var lines = (await output).Split('\n');
            var read = lines.Take(tokens.Count).Select(l => string.Concat(l.Where(c => !char.IsWhiteSpace(c)))).ToList();
            if (process.ExitCode != 0 || lines.Length < tokens.Count || read.Any(r => r.Length == 0))
            {
                throw new InvalidOperationException($"{Command} exited with {process.ExitCode} and gave {lines.Length} lines for {tokens.Count} words: {(await errors).Trim()}");
            }
            return read;
        }
    }
}
