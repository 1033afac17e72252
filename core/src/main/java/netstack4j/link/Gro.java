package netstack4j.link;

import netstack4j.wire.TcpFlags;
/**
 * The merge rules of Linux's receive offload for TCP/IPv4 ({@code inet_gro_receive},
 * {@code tcp_gro_receive}): whether a segment that arrives in the same receive batch as a held
 * packet of its flow is appended to it, and whether the result (or the segment alone) must go
 * up to TCP at once instead of waiting for the end of the batch ({@code napi_gro_flush}).
 *
 * <p>A segment merges when it continues the held packet exactly: same addresses and ports, IP
 * TOS, TTL and DF, no IP options and no fragment; sequence number where the held payload ends;
 * the same ACK number, data offset, window and option bytes (timestamps included: Linux compares
 * every option word), the same flags but CWR, FIN and PSH; no CWR on the new segment; and a payload
 * of at most the held packet's gso size (its first segment's length). After the merge, a payload
 * shorter than the gso size, or URG, PSH, RST, SYN or FIN, ends the packet (flush). A segment
 * without payload never merges ({@code flush = len < mss}, mss being 1 for a new flow).
 *
 * <p>Stateless; works on IPv4 packets (no Ethernet header). Safe from any thread.
 */
public final class Gro {
    /** The new segment is not appended; the held packet goes up now, the new one is looked at alone. */
    public static final int FLUSH_HELD = 0;
    /** Appended; the merged packet may grow further in this batch. */
    public static final int MERGE = 1;
    /** Appended; the merged packet goes up now (short segment, or PSH/URG/RST/SYN/FIN). */
    public static final int MERGE_AND_FLUSH = 2;


    private Gro() {
    }

    /**
     * Whether a segment that is not merged into anything must go up alone at once rather than
     * be held for the end of the batch: no payload, or URG, PSH, RST, SYN or FIN
     * ({@code tcp_gro_receive}'s out_check_final with mss 1).
     */
    public static boolean flushesAlone(byte[] ip, int off, int len) {
        if (!isPlainTcp4(ip, off, len)) {
            return true;
        }
        int tcp = off + 20;
        int flags = ip[tcp + 13] & 0xff;
        return payload(ip, off) == 0 || (flags & (TcpFlags.URG | TcpFlags.PSH | TcpFlags.RST | TcpFlags.SYN | TcpFlags.FIN)) != 0;
    }

    /**
     * What to do with segment {@code b} arriving after held packet {@code h} of the same batch.
     *
     * @param heldPayload the held packet's payload bytes so far
     * @param gsoSize the held packet's gso size (the payload of its first segment)
     * @return {@link #FLUSH_HELD}, {@link #MERGE} or {@link #MERGE_AND_FLUSH}; FLUSH_HELD also for
     *         a segment of another flow (the caller keys held packets by flow)
     */
    public static int decide(byte[] h, int hOff, int hLen, int heldPayload, int gsoSize, byte[] b, int bOff, int bLen) {
        if (!isPlainTcp4(h, hOff, hLen) || !isPlainTcp4(b, bOff, bLen)) {
            return FLUSH_HELD;
        }
        // inet_gro_receive: same addresses, TOS and TTL; DF equal (the flush_id rules).
        for (int i = 12; i < 20; i++) {
            if (h[hOff + i] != b[bOff + i]) {
                return FLUSH_HELD;
            }
        }
        if (h[hOff + 1] != b[bOff + 1] || h[hOff + 8] != b[bOff + 8] || (h[hOff + 6] & 0x40) != (b[bOff + 6] & 0x40)) {
            return FLUSH_HELD;
        }
        int ht = hOff + 20;
        int bt = bOff + 20;
        if (Gso.getInt(h, ht) != Gso.getInt(b, bt)) {
            return FLUSH_HELD; // another flow (ports)
        }
        int doff = (h[ht + 12] >>> 4 & 0x0f) * 4;
        int flags = b[bt + 13] & 0xff;
        int len = payload(b, bOff);
        boolean flush = (flags & TcpFlags.CWR) != 0
                || (((h[ht + 13] ^ b[bt + 13]) & 0xff) & ~(TcpFlags.CWR | TcpFlags.FIN | TcpFlags.PSH)) != 0
                || h[ht + 12] != b[bt + 12]
                || Gso.getShort(h, ht + 14) != Gso.getShort(b, bt + 14) // window
                || Gso.getInt(h, ht + 8) != Gso.getInt(b, bt + 8); // ack_seq
        for (int i = 20; i < doff && !flush; i++) {
            flush = h[ht + i] != b[bt + i]; // every option byte, timestamps included
        }
        flush |= len == 0 || len - 1 >= gsoSize;
        flush |= Gso.getInt(h, ht + 4) + heldPayload != Gso.getInt(b, bt + 4);
        flush |= heldPayload + len + 20 + doff > 65535;
        if (flush) {
            return FLUSH_HELD;
        }
        return len < gsoSize || (flags & (TcpFlags.URG | TcpFlags.PSH | TcpFlags.RST | TcpFlags.SYN | TcpFlags.FIN)) != 0 ? MERGE_AND_FLUSH : MERGE;
    }

    /** IPv4 without options, not a fragment, TCP with whole headers inside {@code len}. */
    public static boolean isPlainTcp4(byte[] ip, int off, int len) {
        if (len < 40 || ip[off] != 0x45 || ip[off + 9] != 6) {
            return false;
        }
        if ((Gso.getShort(ip, off + 6) & 0x3fff) != 0) {
            return false; // MF or a fragment offset
        }
        int total = Gso.getShort(ip, off + 2);
        int doff = (ip[off + 32] >>> 4 & 0x0f) * 4;
        return total <= len && doff >= 20 && 20 + doff <= total;
    }

    private static int payload(byte[] ip, int off) {
        return Gso.getShort(ip, off + 2) - 20 - (ip[off + 32] >>> 4 & 0x0f) * 4;
    }
}
