package netstack4j.sim;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import netstack4j.wire.EtherType;
import netstack4j.wire.EthernetPacket;
import netstack4j.wire.Ipv4Packet;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;

/**
 * A full-duplex point-to-point cable between two {@link SimPort}s, {@link #a()} and {@link #b()}.
 * Each direction has its own {@link LinkParams}, fault generator, transmit queue and
 * {@link LinkStats}; {@link LinkParams} describes what happens to a frame.
 *
 * <p>In-flight frames are pooled delivery events in the simulator's queue (no allocation per
 * frame in steady state beyond what the frame itself needs). Taking the link down loses every
 * frame queued or in flight in both directions and makes transmit return false until it is up
 * again. Parameters may change at any time; frames already sent keep the fate they were given.
 * A frame damaged on the wire is discarded by the receiving port when it arrives, as a NIC
 * discards a frame whose FCS does not match; it never reaches the port's frame handler.
 *
 * <p>Threading: touched only by the simulation's owner; deliveries run on the simulator thread.
 */
public final class SimLink {
    /** A direction of travel. */
    public enum Direction {
        A_TO_B, B_TO_A;

        public Direction reverse() {
            return this == A_TO_B ? B_TO_A : A_TO_B;
        }
    }

    /** What a frame in flight suffered: nothing, damage the FCS will catch, damage past the FCS. */
    private static final int INTACT = 0;
    private static final int BAD_FCS = 1;
    private static final int PAST_FCS = 2;

    private final Simulator sim;
    private final String name;
    private final SimPort a;
    private final SimPort b;
    private final Channel ab;
    private final Channel ba;
    private boolean up = true;

    SimLink(Simulator sim, String name, String nameA, String nameB, LinkParams paramsAb, LinkParams paramsBa) {
        this.sim = sim;
        this.name = name;
        this.a = new SimPort(this, Direction.A_TO_B, nameA, MacAddress.local(sim.nextMacId()));
        this.b = new SimPort(this, Direction.B_TO_A, nameB, MacAddress.local(sim.nextMacId()));
        this.ab = new Channel(paramsAb, b, sim.random("link:" + name + ":a>b"));
        this.ba = new Channel(paramsBa, a, sim.random("link:" + name + ":b>a"));
    }

    public String name() {
        return name;
    }

    Simulator sim() {
        return sim;
    }

    public SimPort a() {
        return a;
    }

    public SimPort b() {
        return b;
    }

    /** The port at the other end from {@code port}. */
    public SimPort other(SimPort port) {
        if (port == a) {
            return b;
        }
        if (port == b) {
            return a;
        }
        throw new IllegalArgumentException(port + " is not an end of " + name);
    }

    public LinkParams params(Direction d) {
        return channel(d).params;
    }

    /** Whether frames in direction {@code d} may be damaged past the FCS, so that only a checksum catches it. */
    boolean mayDamage(Direction d) {
        return channel(d).params.payloadCorruptRate() > 0;
    }

    public void setParams(Direction d, LinkParams params) {
        channel(d).params = java.util.Objects.requireNonNull(params);
    }

    /** Sets the same parameters in both directions. */
    public void setParams(LinkParams params) {
        setParams(Direction.A_TO_B, params);
        setParams(Direction.B_TO_A, params);
    }

    public LinkStats stats(Direction d) {
        return channel(d).stats;
    }

    public boolean isUp() {
        return up;
    }

    /** Takes the link down (losing everything queued or in flight) or brings it back up. */
    public void setUp(boolean up) {
        if (this.up == up) {
            return;
        }
        this.up = up;
        if (!up) {
            ab.flush();
            ba.flush();
        }
    }

    public void down() {
        setUp(false);
    }

    public void up() {
        setUp(true);
    }

    boolean transmit(Direction d, PacketBuffer frame) {
        return channel(d).transmit(frame);
    }

    private Channel channel(Direction d) {
        return d == Direction.A_TO_B ? ab : ba;
    }

    @Override
    public String toString() {
        return "SimLink[" + name + (up ? "" : ", down") + "]";
    }

    /** One direction: queue, fault model, frames in flight. */
    private final class Channel {
        private final SimPort to;
        private final SplittableRandom random;
        private final LinkStats stats = new LinkStats();
        private final ArrayDeque<Delivery> pool = new ArrayDeque<>();
        private LinkParams params;
        private long generation;
        private long busyUntilNs;
        private long lastArrivalNs;
        private boolean geBad;
        private Delivery held;
        // Frames not yet fully serialised: a ring of (end of serialisation, length).
        private long[] backlogDepartureNs = new long[16];
        private int[] backlogLength = new int[16];
        private int backlogHead;
        private int backlogCount;
        private long backlogBytes;

        Channel(LinkParams params, SimPort to, SplittableRandom random) {
            this.params = params;
            this.to = to;
            this.random = random;
        }

        /**
         * RFC 3168 section 5: sets CE in an IPv4 packet that carries ECT(0) or ECT(1) and fixes its
         * header checksum; other frames are left alone (they would be dropped by a real AQM).
         */
        private boolean markCe(PacketBuffer frame) {
            byte[] a = frame.array();
            int o = frame.offset();
            if (frame.length() < 34 || (a[o + 12] & 0xff) != 0x08 || a[o + 13] != 0x00) {
                return false;
            }
            int ip = o + 14;
            int ihl = (a[ip] & 0x0f) * 4;
            int ecn = a[ip + 1] & 0x03;
            if ((a[ip] & 0xf0) != 0x40 || ihl < 20 || frame.length() < 14 + ihl || ecn == 0 || ecn == 3) {
                return false;
            }
            a[ip + 1] = (byte) (a[ip + 1] | 0x03);
            a[ip + 10] = 0;
            a[ip + 11] = 0;
            int cks = netstack4j.wire.Checksum.compute(a, ip, ihl);
            a[ip + 10] = (byte) (cks >>> 8);
            a[ip + 11] = (byte) cks;
            return true;
        }

        boolean transmit(PacketBuffer frame) {
            LinkParams p = params;
            int len = frame.length();
            if (len > p.mtu() + LinkParams.ETHERNET_HEADER_BYTES) {
                stats.droppedMtu++;
                sim.bufferPool().recycle(frame);
                return false;
            }
            if (!up) {
                stats.droppedDown++;
                sim.bufferPool().recycle(frame);
                return false;
            }
            long now = sim.nowNs();
            drainBacklog(now);
            if (backlogBytes + len > p.queueLimitBytes()) {
                stats.droppedQueue++;
                sim.bufferPool().recycle(frame);
                return false;
            }
            if (p.ecnThresholdBytes() > 0 && backlogBytes >= p.ecnThresholdBytes() && markCe(frame)) {
                stats.ceMarked++;
            }
            long start = busyUntilNs - now > 0 ? busyUntilNs : now;
            long departure = start + p.serializationNs(len);
            busyUntilNs = departure;
            if (departure - now > 0) {
                pushBacklog(departure, len);
            }
            stats.sent++;
            stats.sentBytes += len;
            if (lost(p)) {
                stats.droppedLoss++;
                sim.bufferPool().recycle(frame);
                return true;
            }
            long arrival = departure + p.delayNs() + (p.jitterNs() > 0 ? random.nextLong(p.jitterNs() + 1) : 0);
            if (arrival - lastArrivalNs < 0) {
                arrival = lastArrivalNs;
            }
            boolean duplicate = p.duplicateRate() > 0 && random.nextDouble() < p.duplicateRate();
            boolean reorder = p.reorderRate() > 0 && held == null && random.nextDouble() < p.reorderRate();
            PacketBuffer copy = duplicate ? frame.copy() : null;
            int damage = damage(p, frame);
            if (reorder) {
                stats.reordered++;
                held = obtain(frame, damage);
                sim.schedule(held, arrival + p.reorderHoldNs());
            } else {
                lastArrivalNs = arrival;
                sim.schedule(obtain(frame, damage), arrival);
            }
            if (copy != null) {
                stats.duplicated++;
                int copyDamage = damage(p, copy);
                sim.schedule(obtain(copy, copyDamage), arrival);
            }
            if (!reorder && held != null) {
                // The held frame follows the one just sent: same instant, scheduled after it.
                sim.schedule(held, arrival);
                held = null;
            }
            return true;
        }

        private boolean lost(LinkParams p) {
            boolean lost = false;
            if (p.geP() > 0) {
                if (geBad) {
                    if (random.nextDouble() < p.geR()) {
                        geBad = false;
                    }
                } else if (random.nextDouble() < p.geP()) {
                    geBad = true;
                }
                double survive = geBad ? p.geH() : p.geK();
                if (survive < 1 && random.nextDouble() >= survive) {
                    lost = true;
                }
            }
            if (p.lossRate() > 0 && random.nextDouble() < p.lossRate()) {
                lost = true;
            }
            return lost;
        }

        /**
         * Draws the damage one copy of a frame suffers ({@link LinkParams} describes both kinds):
         * {@link #BAD_FCS} when damaged on the wire, so that the receiver's FCS check will fail;
         * {@link #PAST_FCS} when a bit of its IP payload was flipped here; else {@link #INTACT}.
         */
        private int damage(LinkParams p, PacketBuffer frame) {
            if (p.corruptRate() > 0 && random.nextDouble() < p.corruptRate()) {
                stats.corrupted++;
                return BAD_FCS;
            }
            if (p.payloadCorruptRate() > 0 && flipIpPayloadBit(p, frame)) {
                return PAST_FCS;
            }
            return INTACT;
        }

        /**
         * With probability {@code payloadCorruptRate}, flips one bit of the IPv4 payload: the bytes
         * after the header (IHL) up to Total Length, never Ethernet padding. Frames that are not
         * IPv4, or whose header is not plausible, or that carry no payload, are left alone.
         * Returns whether a bit was flipped.
         */
        private boolean flipIpPayloadBit(LinkParams p, PacketBuffer frame) {
            byte[] a = frame.array();
            int ip = frame.offset() + EthernetPacket.HEADER_LENGTH;
            int ipLength = frame.length() - EthernetPacket.HEADER_LENGTH;
            if (ipLength < Ipv4Packet.MIN_HEADER_LENGTH
                    || ((a[frame.offset() + EthernetPacket.ETHER_TYPE] & 0xff) << 8
                        | a[frame.offset() + EthernetPacket.ETHER_TYPE + 1] & 0xff) != EtherType.IPV4
                    || (a[ip + Ipv4Packet.VERSION_IHL] & 0xf0) != 0x40) {
                return false;
            }
            int headerLength = (a[ip + Ipv4Packet.VERSION_IHL] & 0x0f) * 4;
            int totalLength = (a[ip + Ipv4Packet.TOTAL_LENGTH] & 0xff) << 8 | a[ip + Ipv4Packet.TOTAL_LENGTH + 1] & 0xff;
            int payloadLength = Math.min(totalLength, ipLength) - headerLength;
            if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || payloadLength <= 0
                    || random.nextDouble() >= p.payloadCorruptRate()) {
                return false;
            }
            int bit = random.nextInt(payloadLength * 8);
            a[ip + headerLength + (bit >>> 3)] ^= (byte) (1 << (bit & 7));
            return true;
        }

        void deliver(Delivery d) {
            PacketBuffer frame = d.frame;
            long gen = d.generation;
            int damage = d.damage;
            if (d == held) {
                held = null;
            }
            d.frame = null;
            pool.push(d);
            if (gen != generation) {
                stats.droppedDown++;
                sim.bufferPool().recycle(frame);
                return;
            }
            if (d.atNs() - lastArrivalNs > 0) {
                lastArrivalNs = d.atNs();
            }
            if (damage == BAD_FCS) {
                // The receiving NIC's FCS check fails: discarded before any handler sees it.
                stats.rxCrcErrors++;
                sim.bufferPool().recycle(frame);
                return;
            }
            if (damage == PAST_FCS) {
                stats.payloadCorrupted++;
            }
            stats.delivered++;
            stats.deliveredBytes += frame.length();
            to.receive(frame);
        }

        /** The link went down: everything queued or in flight is lost when its time comes. */
        void flush() {
            generation++;
            held = null;
            long now = sim.nowNs();
            busyUntilNs = now;
            lastArrivalNs = now;
            backlogHead = 0;
            backlogCount = 0;
            backlogBytes = 0;
        }

        private Delivery obtain(PacketBuffer frame, int damage) {
            Delivery d = pool.poll();
            if (d == null) {
                d = new Delivery(this);
            }
            d.frame = frame;
            d.damage = damage;
            d.generation = generation;
            return d;
        }

        private void drainBacklog(long now) {
            while (backlogCount > 0 && backlogDepartureNs[backlogHead] - now <= 0) {
                backlogBytes -= backlogLength[backlogHead];
                backlogHead = (backlogHead + 1) & (backlogLength.length - 1);
                backlogCount--;
            }
        }

        private void pushBacklog(long departureNs, int len) {
            if (backlogCount == backlogLength.length) {
                int n = backlogLength.length;
                long[] d = new long[n * 2];
                int[] l = new int[n * 2];
                for (int i = 0; i < n; i++) {
                    d[i] = backlogDepartureNs[(backlogHead + i) & (n - 1)];
                    l[i] = backlogLength[(backlogHead + i) & (n - 1)];
                }
                backlogDepartureNs = d;
                backlogLength = l;
                backlogHead = 0;
            }
            int tail = (backlogHead + backlogCount) & (backlogLength.length - 1);
            backlogDepartureNs[tail] = departureNs;
            backlogLength[tail] = len;
            backlogCount++;
            backlogBytes += len;
        }

        @Override
        public String toString() {
            return name + " -> " + to.name() + ": " + stats;
        }
    }

    /** A frame in flight; pooled per direction. */
    private static final class Delivery extends SimEvent {
        private final Channel channel;
        PacketBuffer frame;
        /** {@link #INTACT}, {@link #BAD_FCS} or {@link #PAST_FCS}. */
        int damage;
        long generation;

        Delivery(Channel channel) {
            this.channel = channel;
        }

        @Override
        protected void fire() {
            channel.deliver(this);
        }
    }
}
