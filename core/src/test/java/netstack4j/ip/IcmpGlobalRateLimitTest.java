package netstack4j.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import netstack4j.stack.Counter;
import netstack4j.stack.DropReason;
import netstack4j.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * Linux's host-wide ICMP error budget (net.ipv4.icmp_msgs_per_sec 1000, icmp_msgs_burst 50) on top
 * of the per-destination limit: a burst of datagrams from many sources to a closed port is
 * answered 50 times at once, then about one per millisecond.
 */
class IcmpGlobalRateLimitTest {
    private static void closedPortDatagrams(TestHost h, int first, int count) {
        for (int i = 0; i < count; i++) {
            Ipv4Address src = Ipv4Address.of(10, 0, 0, 10 + (first + i) % 200);
            h.receive(h.toUs(TestHost.ip(17, src, TestHost.ADDRESS,
                    TestHost.udp(src, TestHost.ADDRESS, 4444, new byte[8]))));
        }
    }

    @Test
    void aBurstFromManySourcesGetsFiftyAnswersThenOnePerMillisecond() {
        TestHost h = new TestHost();
        h.nowNs = 10_000_000_000L;
        closedPortDatagrams(h, 0, 100);
        assertEquals(100, h.stack.counters().get(Counter.UdpNoPorts));
        assertEquals(50, h.stack.counters().get(Counter.IcmpOutDestUnreachs), "the burst");
        assertEquals(50, h.stack.counters().drops(DropReason.ICMP_RATELIMIT));
        // 30 ms later: 30 more credits (one per millisecond).
        h.nowNs += 30_000_000L;
        closedPortDatagrams(h, 100, 50);
        assertEquals(80, h.stack.counters().get(Counter.IcmpOutDestUnreachs));
        // Within 20 ms of the last refill nothing is added.
        h.nowNs += 10_000_000L;
        closedPortDatagrams(h, 150, 10);
        assertEquals(80, h.stack.counters().get(Counter.IcmpOutDestUnreachs));
    }

    @Test
    void zeroTurnsTheHostWideLimitOff() {
        TestHost h = new TestHost(netstack4j.stack.StackConfig.linuxDefaults().toBuilder().icmpMsgsPerSec(0).build());
        h.nowNs = 10_000_000_000L;
        closedPortDatagrams(h, 0, 100);
        assertEquals(100, h.stack.counters().get(Counter.IcmpOutDestUnreachs));
    }
}
