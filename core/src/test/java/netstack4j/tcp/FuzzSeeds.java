package netstack4j.tcp;

import static netstack4j.tcp.FuzzSteps.AT;
import static netstack4j.tcp.FuzzSteps.INITIAL;
import static netstack4j.tcp.FuzzSteps.NEAR;
import static netstack4j.wire.TcpFlags.ACK;
import static netstack4j.wire.TcpFlags.FIN;
import static netstack4j.wire.TcpFlags.PSH;
import static netstack4j.wire.TcpFlags.RST;
import static netstack4j.wire.TcpFlags.SYN;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netstack4j.dns.DnsMessage;
import netstack4j.tcp.FuzzInput.Writer;
import netstack4j.wire.Ipv4Address;

/**
 * Writes the seed inputs of core's fuzz targets: meaningful programs in each target's format
 * (a handshake, data both ways, a reset, FINs into each closing state, fragment trains, SYN
 * cookies, ICMP errors about live sockets, DNS messages), so the fuzzer starts deep instead of
 * from nothing, and regression mode replays them on every build. After changing a format,
 * rewrite them with {@code mvn -B -q test -pl core -Dtest=FuzzSeedsTest -Dfuzz.writeSeeds=true}
 * (README, "Fuzzing"); otherwise {@link FuzzSeedsTest} checks that the committed seeds are what
 * this writes. Findings the fuzzer saves next to them ({@code crash-*}) are kept as they are.
 */
final class FuzzSeeds {
    // Conversation indices of StackStepsFuzzTest.everyState, in creation order.
    static final int SYN_SENT = 0;
    static final int ACTIVE = 1;
    static final int SYN_RECEIVED = 2;
    static final int ESTABLISHED = 3;
    static final int FIN_WAIT_1 = 4;
    static final int FIN_WAIT_2 = 5;
    static final int CLOSING = 6;
    static final int CLOSE_WAIT = 7;
    static final int LAST_ACK = 8;
    static final int TIME_WAIT = 9;
    static final int NOT_ACCEPTED = 10;

    private FuzzSeeds() {
    }

    /** Writes every seed under {@code root} (the module's {@code src/test/resources}). */
    static void write(Path root) throws IOException {
        for (Map.Entry<String, byte[]> e : all().entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    /** Every seed, by path relative to the test resources root. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        stackSteps().forEach((k, v) -> all.put("netstack4j/tcp/StackStepsFuzzTestInputs/stepsAgainstEveryState/" + k, v));
        fragments().forEach((k, v) -> all.put("netstack4j/tcp/FragmentTrainFuzzTestInputs/fragmentTrains/" + k, v));
        cookies().forEach((k, v) -> all.put("netstack4j/tcp/SynCookieFuzzTestInputs/cookieAcks/" + k, v));
        icmp().forEach((k, v) -> all.put("netstack4j/tcp/IcmpErrorFuzzTestInputs/icmpErrorsAboutLiveSockets/" + k, v));
        dns().forEach((k, v) -> all.put("netstack4j/dns/DnsMessageFuzzTestInputs/decodeThenEncodeRoundTrips/" + k, v));
        return all;
    }

    // ---------------------------------------------------------------- target 1

    static Map<String, byte[]> stackSteps() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("data-both-ways", linux()
                .peer(ESTABLISHED, 1000, false).app(ESTABLISHED, FuzzSteps.READ, 4000)
                .app(ESTABLISHED, FuzzSteps.WRITE, 2000).advanceMs(200).peer(ESTABLISHED, 0, false)
                .done());
        m.put("syn-ack-completes-syn-sent", linux()
                .segment(SYN_SENT, SYN | ACK, INITIAL, 0, INITIAL, 1, 64240, new byte[] {2, 4, 5, (byte) 0xb4}, 0)
                .app(SYN_SENT, FuzzSteps.WRITE, 100).advanceMs(300).done());
        m.put("final-ack-completes-syn-received", linux()
                .segment(SYN_RECEIVED, ACK, AT, 0, AT, 0, 64240, new byte[0], 10).app(0, FuzzSteps.ACCEPT, 0)
                .done());
        m.put("reset-in-window", linux()
                .segment(ESTABLISHED, RST, AT, 0, AT, 0, 0, new byte[0], 0)
                .segment(ACTIVE, RST, NEAR, 3, AT, 0, 0, new byte[0], 0).app(ESTABLISHED, FuzzSteps.READ, 100)
                .done());
        m.put("fins-into-every-closing-state", linux()
                .peer(FIN_WAIT_1, 0, true).peer(FIN_WAIT_2, 0, true).peer(CLOSING, 0, false)
                .peer(LAST_ACK, 0, false).segment(TIME_WAIT, FIN | ACK, NEAR, -1, AT, 0, 65535, new byte[0], 0)
                .advanceS(61).done());
        m.put("out-of-order-then-fill", linux()
                .segment(ESTABLISHED, ACK | PSH, NEAR, 7, AT, 0, 65535, new byte[0], 500)
                .peer(ESTABLISHED, 7, false).app(ESTABLISHED, FuzzSteps.READ, 1000).done());
        m.put("zero-window-persist", windows()
                .segment(ESTABLISHED, ACK, AT, 0, AT, 0, 0, new byte[0], 0)
                .app(ESTABLISHED, FuzzSteps.WRITE, 5000).advanceMs(5000).advanceS(30)
                .segment(ESTABLISHED, ACK, AT, 0, AT, 0, 65535, new byte[0], 0).done());
        m.put("syn-to-time-wait-reopens", linux()
                .segment(TIME_WAIT, SYN, NEAR, 5, AT, 0, 64240, new byte[] {2, 4, 5, (byte) 0xb4}, 0).done());
        m.put("close-everything-and-wait", linux()
                .app(ESTABLISHED, FuzzSteps.CLOSE, 0).app(CLOSE_WAIT, FuzzSteps.CLOSE, 0)
                .app(FIN_WAIT_2, FuzzSteps.CLOSE, 0).app(0, FuzzSteps.CLOSE_LISTENER, 0).advanceS(20_000)
                .done());
        m.put("keepalive-probes-time-out", linux()
                .app(ACTIVE, FuzzSteps.KEEPALIVE, 2).peer(ACTIVE, 0, false).advanceS(200).done());
        m.put("retransmissions-time-out", linux()
                .advanceMs(60_000).advanceS(1000).done());
        m.put("new-connections", linux()
                .open(true).open(false).segment(11, SYN | ACK, INITIAL, 0, INITIAL, 1, 1000, new byte[0], 0)
                .segment(12, ACK, AT, 0, AT, 0, 1000, new byte[0], 0).app(0, FuzzSteps.ACCEPT, 0).done());
        // Found by FragmentTrainFuzzTest: the ACK of our FIN closed a LAST-ACK connection whose
        // freed SendQ stayed charged to the stack.
        m.put("last-ack-acked-with-data-in-flight", linux()
                .app(CLOSE_WAIT, FuzzSteps.WRITE, 2000).app(CLOSE_WAIT, FuzzSteps.SHUT_WR, 0)
                .peer(CLOSE_WAIT, 0, false).done());
        m.put("reset-in-last-ack-then-close", linux()
                .app(CLOSE_WAIT, FuzzSteps.WRITE, 2000).app(CLOSE_WAIT, FuzzSteps.SHUT_WR, 0)
                .segment(CLOSE_WAIT, RST, AT, 0, AT, 0, 0, new byte[0], 0).app(CLOSE_WAIT, FuzzSteps.CLOSE, 0)
                .done());
        // Found by FragmentTrainFuzzTest: a child reset before accept kept its RecvQ charged after
        // the listener closed and forgot it.
        m.put("listener-closes-over-a-reset-child", linux()
                .peer(NOT_ACCEPTED, 500, false).segment(NOT_ACCEPTED, RST, AT, 0, AT, 0, 0, new byte[0], 0)
                .app(0, FuzzSteps.CLOSE_LISTENER, 0).done());
        m.put("raw-tcp-syn", linux()
                .raw(FuzzSteps.RAW_TCP, FuzzHost.tcpSegment(50100, 80, SYN, 1, 0, 1000, 0, new byte[0], new byte[0]))
                .done());
        return m;
    }

    private static Steps linux() {
        return new Steps(0);
    }

    private static Steps windows() {
        return new Steps(1);
    }

    /** A program for {@link FuzzSteps#run} (after the target's own leading bytes). */
    static final class Steps {
        final Writer w = new Writer();

        Steps(int... leading) {
            for (int b : leading) {
                w.u8(b);
            }
        }

        Steps segment(int conv, int flags, int seqPlace, int seqDelta, int ackPlace, int ackDelta, int window,
                      byte[] options, int length) {
            w.u8(FuzzSteps.OP_SEGMENT).u8(conv).u8(flags).u8(seqPlace).u16(seqDelta).u8(ackPlace).u16(ackDelta)
                    .u16(window).u16(0).u8(options.length).bytes(options).u16(length);
            return this;
        }

        Steps raw(int kind, byte[] bytes) {
            w.u8(FuzzSteps.OP_RAW).u8(kind).u16(bytes.length).bytes(bytes);
            return this;
        }

        Steps advanceMs(int ms) {
            w.u8(FuzzSteps.OP_ADVANCE).u8(0).u16(ms);
            return this;
        }

        Steps advanceS(int s) {
            w.u8(FuzzSteps.OP_ADVANCE).u8(2).u16(s / 10);
            return this;
        }

        Steps app(int conv, int call, int arg) {
            w.u8(FuzzSteps.OP_APP).u8(conv).u8(call).u16(arg);
            return this;
        }

        Steps peer(int conv, int length, boolean fin) {
            w.u8(FuzzSteps.OP_PEER).u8(conv).u16(length).u8(fin ? 1 : 0);
            return this;
        }

        Steps open(boolean active) {
            w.u8(StackStepsFuzzTest.OP_OPEN).u8(active ? 1 : 0);
            return this;
        }

        /** Any other op and its bytes. */
        Steps op(int op, int... bytes) {
            w.u8(op);
            for (int b : bytes) {
                w.u8(b);
            }
            return this;
        }

        Steps bytes(byte[] b) {
            w.bytes(b);
            return this;
        }

        Steps u8(int v) {
            w.u8(v);
            return this;
        }

        Steps u16(int v) {
            w.u16(v);
            return this;
        }

        byte[] done() {
            return w.toByteArray();
        }
    }

    // ---------------------------------------------------------------- target 2a: fragments

    static Map<String, byte[]> fragments() {
        int udpRead = FragmentTrainFuzzTest.OP_UDP_READ;
        Map<String, byte[]> m = new LinkedHashMap<>();
        // Conversation 0 is the ESTABLISHED connection.
        m.put("udp-in-two-fragments", train(FragmentTrainFuzzTest.CARRY_UDP, 0x1000).u16(2000)
                .u8(FragmentTrainFuzzTest.SPLIT).u8(2).u8(184).u8(184).u8(0).u8(0).op(udpRead).done());
        m.put("tcp-data-reversed", train(FragmentTrainFuzzTest.CARRY_TCP, 0x1001).bytes(segmentFields(0, ACK | PSH, 1000))
                .u8(FragmentTrainFuzzTest.SPLIT).u8(5).u8(24).u8(24).u8(24).u8(24).u8(24).u8(1).u8(0)
                .app(0, FuzzSteps.READ, 2000).done());
        m.put("ping-with-an-overlap", train(FragmentTrainFuzzTest.CARRY_ICMP_ECHO, 0x1002).u16(3000)
                .u8(FragmentTrainFuzzTest.SPLIT).u8(3).u8(99).u8(99).u8(99).u8(5).u8(1).done());
        m.put("duplicate-fragment", train(FragmentTrainFuzzTest.CARRY_UDP, 0x1003).u16(1000)
                .u8(FragmentTrainFuzzTest.SPLIT).u8(2).u8(63).u8(63).u8(3).u8(0).op(udpRead).done());
        m.put("ping-of-death", train(FragmentTrainFuzzTest.CARRY_ICMP_ECHO, 0x1004).u16(100)
                .u8(FragmentTrainFuzzTest.FREE).u8(1).u16(0).u16(1480).u8(1).u8(0)
                .u16(8189).u16(100).u8(0).u8(0).done());
        m.put("first-fragment-times-out", train(FragmentTrainFuzzTest.CARRY_TCP, 0x1005)
                .bytes(segmentFields(0, SYN, 0)).u8(FragmentTrainFuzzTest.FREE).u8(0).u16(0).u16(16).u8(1).u8(0)
                .advanceS(40).done());
        m.put("syn-in-fragments-to-an-established-connection", train(FragmentTrainFuzzTest.CARRY_TCP, 0x1006)
                .bytes(new Writer().u8(1).u8(SYN).u8(INITIAL).u16(0).u8(AT).u16(0).u16(1000).u16(0).u8(4)
                        .bytes(new byte[] {2, 4, 5, (byte) 0xb4}).u16(0).toByteArray())
                .u8(FragmentTrainFuzzTest.SPLIT).u8(1).u8(0).u8(0).u8(0).done());
        return m;
    }

    /** A fragment train step's start: op, carry, identification. */
    private static Steps train(int carry, int id) {
        return new Steps().u8(FragmentTrainFuzzTest.OP_TRAIN).u8(carry).u16(id);
    }

    /** The fields of {@link FuzzSteps#segment}: in order at RCV.NXT, acknowledging SND.MAX. */
    private static byte[] segmentFields(int conv, int flags, int length) {
        return new Writer().u8(conv).u8(flags).u8(AT).u16(0).u8(AT).u16(0).u16(65535).u16(0).u8(0).u16(length)
                .toByteArray();
    }

    // ---------------------------------------------------------------- target 2b: SYN cookies

    static Map<String, byte[]> cookies() {
        int syn = SynCookieFuzzTest.OP_SYN;
        int exact = SynCookieFuzzTest.OP_EXACT_ACK;
        // Conversations: 0, 1 half-open; 2.. the cookie clients (2 completed in the setup, 3-5 have cookies).
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("exact-ack-with-data-accepted", new Steps().op(exact, 1, 0, 100).app(0, FuzzSteps.ACCEPT, 0)
                .app(0, FuzzSteps.ACCEPT, 0).app(3, FuzzSteps.READ, 200).app(3, FuzzSteps.WRITE, 300).done());
        m.put("cookie-ack-from-fields", new Steps()
                .segment(4, ACK, INITIAL, 1, INITIAL, 1, 1000, new byte[0], 0).peer(4, 10, true).done());
        m.put("wrong-cookie", new Steps().segment(5, ACK, INITIAL, 1, INITIAL, 2, 1000, new byte[0], 0).done());
        m.put("cookie-expires", new Steps().advanceS(180).op(exact, 2, 0, 0).done());
        m.put("new-syn-then-ack", new Steps().op(syn, 5, 0x03, 0xe8).op(exact, 5, 0, 0).done());
        m.put("tiny-mss-syn", new Steps().op(syn, 6, 0, 100).op(exact, 6, 0, 0).done());
        m.put("reset-and-fin-on-cookie-acks", new Steps()
                .segment(3, ACK | RST, INITIAL, 1, INITIAL, 1, 1000, new byte[0], 0)
                .segment(4, ACK | FIN, INITIAL, 1, INITIAL, 1, 1000, new byte[0], 5).done());
        m.put("accept-queue-overflows", new Steps().op(exact, 1, 0, 0).op(exact, 2, 0, 0).op(exact, 3, 0, 0)
                .op(syn, 7, 0, 0).op(exact, 7, 0, 0).done());
        return m;
    }

    // ---------------------------------------------------------------- target 2c: ICMP errors

    static Map<String, byte[]> icmp() {
        int udpSend = IcmpErrorFuzzTest.OP_UDP_SEND;
        // Conversations: 0 SYN-SENT, 1 SYN-RECEIVED, 2 ESTABLISHED; 3 the connected UDP socket, 4 the other.
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("port-unreachable-for-connected-udp", new Steps().op(udpSend)
                .bytes(icmpError(0, 3, 0, false, 3, AT, 0, 0)).op(udpSend).done());
        m.put("fragmentation-needed-576", new Steps().bytes(icmpError(2, 4, 576, false, 2, AT, 0, 0))
                .advanceMs(500).peer(2, 0, false).done());
        m.put("fragmentation-needed-68", new Steps().bytes(icmpError(2, 4, 68, true, 2, NEAR, 3, 0)).done());
        m.put("host-unreachable-while-connecting", new Steps()
                .bytes(icmpError(0, 1, 0, true, 0, INITIAL, 0, 0)).app(0, FuzzSteps.WRITE, 10).done());
        m.put("time-exceeded-from-a-router", new Steps().bytes(icmpError(1, 0, 0, true, 2, AT, 0, 0)).done());
        m.put("truncated-quote", new Steps().bytes(icmpError(2, 4, 1000, false, 2, AT, 0, 24)).done());
        m.put("port-unreachable-for-open-udp", new Steps().op(udpSend)
                .bytes(icmpError(0, 3, 0, false, 4, AT, 0, 0)).done());
        return m;
    }

    /** An ICMP error step quoting a normal IPv4 header from us to the peer. */
    private static byte[] icmpError(int typeChoice, int code, int mtu, boolean fromRouter, int what, int seqPlace,
                                    int seqDelta, int cut) {
        return new Writer().u8(IcmpErrorFuzzTest.OP_ICMP).u8(typeChoice).u8(code).u16(mtu).u8(fromRouter ? 1 : 0)
                .u8(what).u8(0).u8(0).u8(0).u8(seqPlace).u16(seqDelta).u8(cut).bytes(new byte[8]).toByteArray();
    }

    // ---------------------------------------------------------------- DNS

    static Map<String, byte[]> dns() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("query", DnsMessage.query(0x1234, "example.com").toBytes());
        DnsMessage answer = new DnsMessage(0x1234, DnsMessage.FLAG_QR | DnsMessage.FLAG_RD | DnsMessage.FLAG_RA,
                List.of(new DnsMessage.Question("example.com", DnsMessage.TYPE_A, DnsMessage.CLASS_IN)),
                List.of(DnsMessage.Record.a("example.com", Ipv4Address.parse("93.184.216.34"), 3600),
                        new DnsMessage.Record("example.com", 16, DnsMessage.CLASS_IN, 60, new byte[] {3, 'a', 'b', 'c'})));
        m.put("answer", answer.toBytes());
        m.put("nxdomain", new DnsMessage(7, DnsMessage.FLAG_QR | DnsMessage.RCODE_NXDOMAIN,
                List.of(new DnsMessage.Question("nowhere.test", DnsMessage.TYPE_A, DnsMessage.CLASS_IN)), List.of())
                .toBytes());
        // The answer as a server writes it, its name a compression pointer to the question's (RFC 1035 4.1.4).
        m.put("compressed-answer", java.util.HexFormat.of().parseHex(
                "123481800001000100000000" + "076578616d706c6503636f6d00" + "00010001"
                        + "c00c" + "0001" + "0001" + "00000e10" + "0004" + "5db8d822"));
        return m;
    }
}
