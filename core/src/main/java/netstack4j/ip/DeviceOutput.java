package netstack4j.ip;

import netstack4j.link.Gso;
import netstack4j.link.NetworkDevice;
import netstack4j.link.Offloads;
import netstack4j.stack.DropReason;
import netstack4j.stack.NetStack;
import netstack4j.wire.Checksum;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.PacketBuffer;

/**
 * The last step before a device, as Linux's {@code validate_xmit_skb} and
 * {@code dev_hard_start_xmit}: a TCP super-segment ({@link PacketBuffer#gsoSize()} set) goes to a
 * device with TSO whole, for the device to cut; before a device without TSO it is cut here in
 * software ({@code skb_gso_segment}, {@link Gso}) and each segment is sent on its own. The trace
 * tap sees what the device is given ({@code dev_queue_xmit_nit} runs in {@code xmit_one}, after
 * the software segmentation), and so does a {@link netstack4j.link.CaptureDevice} wrapped around
 * the device: the super-segment with TSO, MSS-sized segments without.
 *
 * <p>Thread-compatible: owned by the stack's thread, like the {@link NeighbourTable} that holds it.
 */
final class DeviceOutput implements Gso.SegmentSink {
    private final NetStack stack;
    /** Where {@link Gso} builds each segment; allocated on the first software segmentation. */
    private byte[] scratch;
    /** The interface being segmented for, during {@link #segment}. */
    private NetInterface segmentingFor;

    DeviceOutput(NetStack stack) {
        this.stack = stack;
    }

    /** Hands {@code frame} (Ethernet header included) to {@code iface}'s device, cut first if the device needs it. */
    void transmit(NetInterface iface, PacketBuffer frame) {
        NetworkDevice device = iface.device();
        int gsoSize = frame.gsoSize();
        Offloads features = device.features();
        int ipLength = frame.length() - EthernetPacket.HEADER_LENGTH;
        if (gsoSize == 0) {
            if (frame.checksumPartial() && !features.txChecksum()) {
                // validate_xmit_skb -> skb_checksum_help: the device cannot checksum, software does.
                Checksum.completeTcp4(frame.array(), frame.offset() + EthernetPacket.HEADER_LENGTH);
                frame.setChecksumPartial(false);
            }
            send(iface, frame);
            return;
        }
        // netdev_fix_features: TSO needs checksum offload, else the stack cuts (and checksums) itself.
        if (features.tso() && features.txChecksum() && ipLength <= features.gsoMaxSize()
                && Gso.segments(ipLength, gsoSize) <= features.gsoMaxSegs()) {
            send(iface, frame); // netif_needs_gso false: the device takes it whole (TSO)
            return;
        }
        // skb_gso_segment: cut in software, each segment a packet of its own.
        if (scratch == null) {
            scratch = new byte[EthernetPacket.HEADER_LENGTH + Offloads.GSO_MAX_SIZE];
        }
        segmentingFor = iface;
        int n = Gso.segmentTcp4(frame.array(), frame.offset(), frame.length(), EthernetPacket.HEADER_LENGTH, gsoSize,
                scratch, this);
        segmentingFor = null;
        if (n < 0) {
            stack.drop(DropReason.TCP_MALFORMED, iface.name(), frame); // not TCP/IPv4: cannot be cut
            return;
        }
        stack.buffers().recycle(frame); // copied into the segments
    }

    /** One segment of a software segmentation: into a buffer of its own, then to the device. */
    @Override
    public void segment(byte[] b, int off, int len) {
        PacketBuffer s = stack.buffers().copyOf(b, off, len);
        if (s == null) {
            stack.drop(DropReason.NO_BUFFER, segmentingFor.name());
            return;
        }
        send(segmentingFor, s);
    }

    private void send(NetInterface iface, PacketBuffer frame) {
        Ipv4Layer.traceOut(stack, iface, frame);
        if (!iface.device().transmit(frame)) {
            stack.drop(DropReason.TX_QUEUE_FULL, iface.name());
        }
    }
}
