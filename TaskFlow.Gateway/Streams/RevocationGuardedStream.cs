namespace TaskFlow.Gateway.Streams;

/// <summary>
/// The response body of a notification stream: before every write it asks whether the stream's token is now known to
/// be revoked (memory only, no Redis call), and if so closes the connection instead of writing, so nothing reaches
/// the client after a revocation even when an event races the pub/sub message that ends the stream.
/// </summary>
public sealed class RevocationGuardedStream(Stream inner, Func<bool> isRevoked, Action close) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Allowed())
        {
            inner.Write(buffer, offset, count);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Allowed() ? inner.WriteAsync(buffer, cancellationToken) : ValueTask.CompletedTask;

    private bool Allowed()
    {
        if (!isRevoked())
        {
            return true;
        }

        close();
        return false;
    }
}
