package netstack4j.tcp;

import java.util.Arrays;

/**
 * The established-connection hash (Linux's ehash): connections (or TIME_WAIT entries) keyed by
 * (remote address, remote port, local port) packed into a {@code long}, with local addresses told
 * apart by chaining through {@link Member#nextInBucket}. Open addressing with linear probing and
 * backward-shift deletion, so lookups allocate nothing (a {@code HashMap<Long, …>} would box).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 *
 * @param <T> what the table holds
 */
final class ConnectionTable<T extends ConnectionTable.Member<T>> {
    /** Something with a 4-tuple that the table chains by local address. */
    interface Member<T> {
        int localIp();

        int localPort();

        int remoteIp();

        int remotePort();

        T nextInBucket();

        void nextInBucket(T next);
    }

    private long[] keys = new long[64];
    private Object[] values = new Object[64];
    private int size;

    static long key(int remoteIp, int remotePort, int localPort) {
        return (long) remoteIp << 32 | (long) remotePort << 16 | localPort;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (keys.length - 1);
    }

    @SuppressWarnings("unchecked")
    private T at(int i) {
        return (T) values[i];
    }

    T get(int localIp, int localPort, int remoteIp, int remotePort) {
        long k = key(remoteIp, remotePort, localPort);
        int mask = keys.length - 1;
        for (int i = slot(k); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == k) {
                for (T c = at(i); c != null; c = c.nextInBucket()) {
                    if (c.localIp() == localIp) {
                        return c;
                    }
                }
                return null;
            }
        }
        return null;
    }

    void put(T c) {
        long k = key(c.remoteIp(), c.remotePort(), c.localPort());
        int mask = keys.length - 1;
        int i = slot(k);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == k) {
                c.nextInBucket(at(i));
                values[i] = c;
                return;
            }
        }
        keys[i] = k;
        values[i] = c;
        c.nextInBucket(null);
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    void remove(T c) {
        long k = key(c.remoteIp(), c.remotePort(), c.localPort());
        int mask = keys.length - 1;
        for (int i = slot(k); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] != k) {
                continue;
            }
            if (values[i] == c) {
                if (c.nextInBucket() != null) {
                    values[i] = c.nextInBucket();
                } else {
                    deleteAt(i);
                }
            } else {
                for (T p = at(i); p.nextInBucket() != null; p = p.nextInBucket()) {
                    if (p.nextInBucket() == c) {
                        p.nextInBucket(c.nextInBucket());
                        break;
                    }
                }
            }
            c.nextInBucket(null);
            return;
        }
    }

    private void deleteAt(int hole) {
        int mask = keys.length - 1;
        values[hole] = null;
        size--;
        int i = (hole + 1) & mask;
        while (values[i] != null) {
            int home = slot(keys[i]);
            // Move the entry back when the hole lies cyclically between its home slot and where it is.
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** Every connection, in table order (for rare whole-table walks; not on the data path). */
    java.util.List<T> snapshot() {
        java.util.List<T> all = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            for (T c = at(i); c != null; c = c.nextInBucket()) {
                all.add(c);
            }
        }
        return all;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }
}
