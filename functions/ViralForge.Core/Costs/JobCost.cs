using System.Globalization;
using ViralForge.Core.Ports;

namespace ViralForge.Core.Costs;

/// <summary>A job's running cost as the ledger sums it, and the two ways it is shown: the sheet's Cost cell and the review card.</summary>
public static class JobCost
{
    /// <summary>
    /// Decimal places shown: hundredths of a cent. A short costs about a cent, so whole cents would show most jobs as
    /// 0.01 or 0.00; more places would only show the price table's own rounding.
    /// </summary>
    public const int Places = 4;

    /// <summary>What every paid call of the job has cost so far, every generation included (a regenerated stage paid again).</summary>
    public static async Task<decimal> TotalUsdAsync(this ICostLedger ledger, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var calls = await ledger.ListAsync(jobId, cancellationToken);
        return calls.Sum(c => c.Usd);
    }

    /// <summary>The sheet's Cost cell: a plain invariant number in USD ("0.0123", "0" for a job that paid nothing), so sheet formulas can sum the column.</summary>
    public static string Cell(decimal usd) =>
        Rounded(usd).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The card's text: "$0.0123", "$0.00" for nothing.</summary>
    public static string Display(decimal usd) =>
        "$" + Rounded(usd).ToString("0.00##", CultureInfo.InvariantCulture);

    private static decimal Rounded(decimal usd) => Math.Round(usd, Places, MidpointRounding.AwayFromZero);
}
