package io.pointbridge.bench.seed;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Rows streamed into one table with {@code COPY ... FROM STDIN (FORMAT binary)}: each value is written in
 * PostgreSQL's binary form into a buffer that goes to the server whenever it fills, so no table is ever held in
 * memory, and the server parses nothing. The caller writes exactly the columns it named, in their order and
 * types (uuid, bigint, smallint, boolean, timestamptz, text).
 */
final class BinaryCopy implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final PGCopyOutputStream out;
    private final byte[] buffer = new byte[1 << 17];
    private int position;
    private long rows;
    private boolean finished;

    private BinaryCopy(PGCopyOutputStream out) {
        this.out = out;
    }

    /** Starts a COPY into {@code table} of {@code columns}; the connection is busy until {@link #finish()}. */
    static BinaryCopy into(Connection connection, String table, String... columns) throws SQLException {
        var sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin (format binary)";
        var copy = new BinaryCopy(new PGCopyOutputStream(connection.unwrap(PGConnection.class), sql, 1 << 16));
        copy.bytes(SIGNATURE);
        copy.int4Raw(0);
        copy.int4Raw(0);
        return copy;
    }

    /** Starts a row of {@code fields} values. */
    BinaryCopy row(int fields) {
        rows++;
        ensure(2);
        int2Raw((short) fields);
        return this;
    }

    BinaryCopy uuid(UUID value) {
        if (value == null) {
            return nullValue();
        }
        ensure(20);
        int4Raw(16);
        int8Raw(value.getMostSignificantBits());
        int8Raw(value.getLeastSignificantBits());
        return this;
    }

    BinaryCopy int8(long value) {
        ensure(12);
        int4Raw(8);
        int8Raw(value);
        return this;
    }

    BinaryCopy int2(int value) {
        ensure(6);
        int4Raw(2);
        int2Raw((short) value);
        return this;
    }

    BinaryCopy bool(boolean value) {
        ensure(5);
        int4Raw(1);
        buffer[position++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A timestamptz given in microseconds since the Unix epoch. */
    BinaryCopy timestamp(long epochMicros) {
        return int8Value(epochMicros - POSTGRES_EPOCH_MICROS);
    }

    /** A timestamptz, or null when {@code epochMicros} is {@link Long#MIN_VALUE}. */
    BinaryCopy timestampOrNull(long epochMicros) {
        return epochMicros == Long.MIN_VALUE ? nullValue() : timestamp(epochMicros);
    }

    /** A text (or char(n)) value, or null. */
    BinaryCopy text(String value) {
        if (value == null) {
            return nullValue();
        }
        var bytes = value.getBytes(StandardCharsets.UTF_8);
        ensure(4);
        int4Raw(bytes.length);
        bytes(bytes);
        return this;
    }

    BinaryCopy nullValue() {
        ensure(4);
        int4Raw(-1);
        return this;
    }

    long rows() {
        return rows;
    }

    /** Ends the COPY and returns the rows the server took. */
    long finish() throws SQLException {
        ensure(2);
        int2Raw((short) -1);
        flush();
        finished = true;
        return out.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (!finished && out.isActive()) {
            out.cancelCopy();
        }
    }

    private BinaryCopy int8Value(long value) {
        ensure(12);
        int4Raw(8);
        int8Raw(value);
        return this;
    }

    private void bytes(byte[] bytes) {
        int offset = 0;
        while (offset < bytes.length) {
            if (position == buffer.length) {
                flush();
            }
            int chunk = Math.min(bytes.length - offset, buffer.length - position);
            System.arraycopy(bytes, offset, buffer, position, chunk);
            position += chunk;
            offset += chunk;
        }
    }

    private void ensure(int bytes) {
        if (buffer.length - position < bytes) {
            flush();
        }
    }

    private void flush() {
        try {
            out.writeToCopy(buffer, 0, position);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        position = 0;
    }

    private void int2Raw(short value) {
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
    }

    private void int4Raw(int value) {
        buffer[position++] = (byte) (value >>> 24);
        buffer[position++] = (byte) (value >>> 16);
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
    }

    private void int8Raw(long value) {
        int4Raw((int) (value >>> 32));
        int4Raw((int) value);
    }
}
