using System.Globalization;

namespace TaskFlow.Bench;

/// <summary>The one table: every row of the run with its ratios (to hello, and to nginx where it is the same hop).</summary>
internal sealed class ResultTable
{
    private readonly List<(string Row, string Result, string Ratios, string Notes)> _rows = [];
    private readonly List<(string Row, string Measured, string Target, bool Met)> _targets = [];

    public LoadResult? Hello { get; private set; }

    public void SetHello(LoadResult hello)
    {
        Hello = hello;
        _rows.Add(("hello (plain Kestrel)", Format(hello), "1.00× hello", ""));
    }

    public LoadResult? Nginx { get; set; }

    public void Add(string row, LoadResult result, bool vsNginx = false)
    {
        var ratios = Hello is { } hello ? $"{result.RequestsPerSecond / hello.RequestsPerSecond:0.00}× hello" : "";
        if (vsNginx && Nginx is { } nginx)
        {
            ratios += $", {result.RequestsPerSecond / nginx.RequestsPerSecond:0.00}× nginx";
        }

        _rows.Add((row, Format(result), ratios, result.Errors > 0 ? $"{result.Errors} errors/non-2xx" : ""));
    }

    public void AddText(string row, string result, string ratios, string notes) => _rows.Add((row, result, ratios, notes));

    /// <summary>A row of issue 27's table: what this run measured against its target.</summary>
    public void Target(string row, string measured, string target, bool met) => _targets.Add((row, measured, target, met));

    public void PrintTargets()
    {
        Console.WriteLine($"Issue 27 targets: {_targets.Count(t => t.Met)} of {_targets.Count} met in this run");
        Console.WriteLine("| row | this run | target | met |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (row, measured, target, met) in _targets)
        {
            Console.WriteLine($"| {row} | {measured} | {target} | {(met ? "yes" : "no")} |");
        }
    }

    public void Print()
    {
        Console.WriteLine("| row | result | ratios | notes |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (row, result, ratios, notes) in _rows)
        {
            Console.WriteLine($"| {row} | {result} | {ratios} | {notes} |");
        }
    }

    private static string Format(LoadResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.RequestsPerSecond:N0} req/s, p50 {r.P50Ms:0.0} ms, p99 {r.P99Ms:0.0} ms");
}
