package netstack4j.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A TCP header (RFC 9293 section 3.1) as a value. Options are kept in wire order, No-Operations
 * included, so that {@code emit(parse(x))} reproduces the header byte for byte. When the options
 * do not fill whole 32-bit words, the list ends with {@link TcpOption.EndOfList} (the constructor
 * appends it), and {@link #emit} pads with zeros (RFC 9293 section 3.1, "Padding"). The checksum
 * is not held: {@link #emit} computes it. The reserved bits are always zero (RFC 9293 section 3.1).
 *
 * @param sequenceNumber        SEG.SEQ as a raw 32-bit value
 * @param acknowledgmentNumber  SEG.ACK as a raw 32-bit value
 * @param flags                 control bits, see {@link TcpFlags}
 * @param window                SEG.WND as sent, unscaled
 */
public record TcpHeader(
        int sourcePort,
        int destinationPort,
        int sequenceNumber,
        int acknowledgmentNumber,
        int flags,
        int window,
        int urgentPointer,
        List<TcpOption> options) {

    public TcpHeader {
        requireU16("source port", sourcePort);
        requireU16("destination port", destinationPort);
        requireU16("window", window);
        requireU16("urgent pointer", urgentPointer);
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags " + flags + " not in 0..255");
        }
        List<TcpOption> list = List.copyOf(options);
        int total = 0;
        for (int i = 0; i < list.size(); i++) {
            // RFC 9293 section 3.1: End of Option List marks the end of all options.
            if (list.get(i) instanceof TcpOption.EndOfList && i != list.size() - 1) {
                throw new IllegalArgumentException("End of Option List must be the last option");
            }
            total += list.get(i).length();
        }
        if (total % 4 != 0 && !(list.getLast() instanceof TcpOption.EndOfList)) {
            List<TcpOption> padded = new ArrayList<>(list);
            padded.add(TcpOption.EndOfList.INSTANCE);
            list = List.copyOf(padded);
            total++;
        }
        if (total > TcpOption.MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("TCP options of " + total + " bytes exceed 40");
        }
        options = list;
    }

    private static void requireU16(String name, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(name + " " + value + " not in 0..65535");
        }
    }

    /** The header of {@code packet}; structure is checked, the checksum is not. */
    public static TcpHeader parse(TcpPacket packet) throws MalformedPacketException {
        String reason = packet.check();
        if (reason != null) {
            throw new MalformedPacketException(reason);
        }
        byte[] b = packet.array();
        int i = packet.optionsOffset();
        int end = i + packet.optionsLength();
        List<TcpOption> options = new ArrayList<>();
        while (i < end) {
            TcpOption option = TcpPacket.readOption(b, i);
            options.add(option);
            if (option instanceof TcpOption.EndOfList) {
                break;
            }
            i += option.length();
        }
        return new TcpHeader(packet.sourcePort(), packet.destinationPort(), packet.sequenceNumber(),
                packet.acknowledgmentNumber(), packet.flags(), packet.window(), packet.urgentPointer(), options);
    }

    /** Bytes of options including the final End of Option List, before padding. */
    public int optionsLength() {
        int total = 0;
        for (TcpOption option : options) {
            total += option.length();
        }
        return total;
    }

    /** Header length in bytes: 20 plus options padded to a multiple of 4. */
    public int headerLength() {
        return TcpPacket.MIN_HEADER_LENGTH + ((optionsLength() + 3) & ~3);
    }

    /** Same as {@link #headerLength()}. */
    public int length() {
        return headerLength();
    }

    public boolean hasFlags(int wanted) {
        return TcpFlags.has(flags, wanted);
    }

    /** The first option of {@code type}, or null. */
    public <T extends TcpOption> T option(Class<T> type) {
        for (TcpOption option : options) {
            if (type.isInstance(option)) {
                return type.cast(option);
            }
        }
        return null;
    }

    /**
     * Writes the header at {@code b[off]} for the {@code payloadLength} data bytes already at
     * {@code b[off + headerLength()]}, with the checksum over pseudo-header, header and data
     * (RFC 9293 section 3.1).
     */
    public void emit(byte[] b, int off, int payloadLength, Ipv4Address src, Ipv4Address dst) {
        int headerLength = headerLength();
        int segmentLength = headerLength + payloadLength;
        if (payloadLength < 0 || segmentLength > Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("TCP payload length " + payloadLength + " does not fit an IPv4 packet");
        }
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        writeU16(b, off + TcpPacket.SOURCE_PORT, sourcePort);
        writeU16(b, off + TcpPacket.DESTINATION_PORT, destinationPort);
        writeInt(b, off + TcpPacket.SEQUENCE_NUMBER, sequenceNumber);
        writeInt(b, off + TcpPacket.ACKNOWLEDGMENT_NUMBER, acknowledgmentNumber);
        b[off + TcpPacket.DATA_OFFSET] = (byte) ((headerLength / 4) << 4);
        b[off + TcpPacket.FLAGS] = (byte) flags;
        writeU16(b, off + TcpPacket.WINDOW, window);
        writeU16(b, off + TcpPacket.CHECKSUM, 0);
        writeU16(b, off + TcpPacket.URGENT_POINTER, urgentPointer);
        int at = off + TcpPacket.OPTIONS;
        for (TcpOption option : options) {
            option.emit(b, at);
            at += option.length();
        }
        while (at < off + headerLength) {
            b[at++] = 0;
        }
        int sum = Checksum.sum(b, off, segmentLength, Checksum.pseudoHeaderSum(src, dst, IpProtocol.TCP, segmentLength));
        writeU16(b, off + TcpPacket.CHECKSUM, Checksum.fold(sum));
    }

    private static void writeU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /**
     * As tcpdump prints a segment with absolute sequence numbers:
     * {@code TCP 40000 > 80: Flags [S.], seq 1000, ack 2001, win 65535, options [mss 1460,nop,wscale 7]}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TCP ").append(sourcePort).append(" > ").append(destinationPort)
                .append(": Flags ").append(TcpFlags.toString(flags))
                .append(", seq ").append(Integer.toUnsignedString(sequenceNumber));
        if (hasFlags(TcpFlags.ACK)) {
            sb.append(", ack ").append(Integer.toUnsignedString(acknowledgmentNumber));
        }
        sb.append(", win ").append(window);
        if (hasFlags(TcpFlags.URG)) {
            sb.append(", urg ").append(urgentPointer);
        }
        appendOptions(sb, options);
        return sb.toString();
    }

    static void appendOptions(StringBuilder sb, List<TcpOption> options) {
        if (!options.isEmpty()) {
            sb.append(", options [");
            for (int i = 0; i < options.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(options.get(i));
            }
            sb.append(']');
        }
    }
}
