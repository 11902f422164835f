using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Models;

/// <summary>One CSV column: a header and how a row becomes its cell, as text or as a number.</summary>
public sealed class CsvColumn<T>
{
    private readonly Func<T, string?>? _text;
    private readonly Func<T, decimal>? _number;
    private readonly string _format = "";

    private CsvColumn(string header, Func<T, string?>? text, Func<T, decimal>? number, string format)
    {
        Header = header;
        _text = text;
        _number = number;
        _format = format;
    }

    public string Header { get; }

    /// <summary>A text cell: guarded against formula injection (users type descriptions, notes, references).</summary>
    public static CsvColumn<T> Text(string header, Func<T, string?> value) => new(header, value, null, "");

    /// <summary>A number cell, written as a number ("-1234.56"), so spreadsheets can sum it; never escaped.</summary>
    public static CsvColumn<T> Number(string header, Func<T, decimal> value, string format = "0.00") => new(header, null, value, format);

    internal void Write(CsvWriter csv, T row)
    {
        if (_number is not null) csv.WriteField(_number(row), _format);
        else csv.WriteField(_text!(row));
    }
}

/// <summary>
/// Every CSV export of the web UI, through CsvHelper: RFC 4180 (comma, CRLF, fields with a comma, quote
/// or line break quoted, quotes doubled), UTF-8 with a byte order mark so Excel reads Cyrillic text.
/// Text cells starting with = + - @, tab or CR get a leading single quote (OWASP "CSV injection");
/// CsvHelper applies that to text only, so negative amounts stay numbers.
/// </summary>
public static class CsvFile
{
    private static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static byte[] Write<T>(IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteHeader(columns.Select(c => c.Header).ToArray());
            foreach (var row in rows)
            {
                foreach (var column in columns) column.Write(csv, row);
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The CSV as a download named <paramref name="name"/>-yyyyMMdd-HHmm.csv (UTC).</summary>
    public static FileContentResult Download<T>(string name, IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns) =>
        new(Write(rows, columns), "text/csv; charset=utf-8")
        {
            FileDownloadName = $"{name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv",
        };
}
