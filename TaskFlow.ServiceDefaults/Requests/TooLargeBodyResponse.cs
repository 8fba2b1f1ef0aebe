using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace TaskFlow.ServiceDefaults.Requests;

/// <summary>
/// The 413 for a body over the limit, answered so that every client reads it (API.md "Errors"). A client that did
/// not send <c>Expect: 100-continue</c> is still writing its body when the answer goes out; a server that then closes
/// with unread bytes in its receive buffer sends a TCP reset, and the client loses the 413 it had not read yet. So, as
/// nginx's lingering close does: the answer is sent and completed first (with <c>Connection: close</c>), then the body
/// still arriving is read and discarded, up to <see cref="DrainLimitBytes"/> and for at most <see cref="DrainTimeout"/>,
/// before the connection closes. A client that sent <c>Expect: 100-continue</c> gets the 413 instead of the go-ahead,
/// so nothing is drained.
/// </summary>
public static class TooLargeBodyResponse
{
    /// <summary>The most a refused request is read for (past it the connection closes as it is).</summary>
    public const long DrainLimitBytes = 8 * 1024 * 1024;

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static async Task WriteAsync(HttpContext context, long limitBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var mayDrain = !request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase) &&
            context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size && Unlimit(size);
        context.Response.Headers[HeaderNames.Connection] = "close";
        await ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, RequestProblems.TooLargeTitle,
            $"Request bodies are limited to {limitBytes} bytes.");
        if (!mayDrain)
        {
            return;
        }

        await context.Response.CompleteAsync();
        await DrainAsync(request.Body, context.RequestAborted);
    }

    private static bool Unlimit(IHttpMaxRequestBodySizeFeature size)
    {
        size.MaxRequestBodySize = null;
        return true;
    }

    private static async Task DrainAsync(Stream body, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(DrainTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long drained = 0;
            int read;
            while (drained < DrainLimitBytes && (read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away, was too slow, or broke the framing: the connection closes as it is.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
