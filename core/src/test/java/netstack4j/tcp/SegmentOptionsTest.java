package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden bytes of the option layouts Linux's tcp_options_write produces. */
class SegmentOptionsTest {
    private static String hex(SegmentOptions o) {
        byte[] b = new byte[o.length()];
        o.write(b, 0);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void linuxSynLayout() {
        SegmentOptions o = new SegmentOptions();
        o.mss = 1460;
        o.sackPermitted = true;
        o.timestamps = true;
        o.tsVal = 0x01020304;
        o.tsEcr = 0;
        o.windowScale = 7;
        // mss 1460, sackOK + TS val ecr 0, nop, wscale 7
        assertEquals("020405b4" + "0402080a" + "01020304" + "00000000" + "01030307", hex(o));
    }

    @Test
    void sackPermittedWithoutTimestampsAndEstablishedLayouts() {
        SegmentOptions o = new SegmentOptions();
        o.mss = 1000;
        o.sackPermitted = true;
        o.windowScale = 2;
        assertEquals("020403e8" + "01010402" + "01030302", hex(o));
        o.clear();
        o.timestamps = true;
        o.tsVal = 5;
        o.tsEcr = 6;
        o.sackBlocks = 1;
        o.sack[0] = 100;
        o.sack[1] = 200;
        assertEquals("0101080a" + "00000005" + "00000006" + "0101050a" + "00000064" + "000000c8", hex(o));
        assertEquals(24, o.length());
    }

    @Test
    void sackBlocksMostRecentFirstCoalescedAtMostFour() {
        SackBlocks s = new SackBlocks();
        s.onOutOfOrder(100, 200);
        s.onOutOfOrder(300, 400);
        s.onOutOfOrder(500, 600);
        s.onOutOfOrder(700, 800);
        s.onOutOfOrder(900, 1000); // the oldest (100:200) falls off
        SegmentOptions o = new SegmentOptions();
        s.fill(o, 4);
        assertArrayEquals(new int[] {900, 1000, 700, 800, 500, 600, 300, 400}, o.sack);
        s.onOutOfOrder(400, 500); // joins 300:400 and 500:600 into one block, first
        s.fill(o.clear(), 4);
        assertEquals(3, o.sackBlocks);
        assertEquals(300, o.sack[0]);
        assertEquals(600, o.sack[1]);
        s.onRcvNxt(800); // 300:600 and 700:800 are covered now
        s.onDuplicate(10, 20);
        s.fill(o.clear(), 3);
        assertEquals(2, o.sackBlocks);
        assertArrayEquals(new int[] {10, 20, 900, 1000}, java.util.Arrays.copyOf(o.sack, 4));
        s.fill(o.clear(), 3);
        assertEquals(1, o.sackBlocks, "a D-SACK block is reported once");
    }

    @Test
    void windowScaleFromTheLargestReceiveSpace() {
        assertEquals(7, OptionState.receiveWscale(6_291_456)); // tcp_rmem[2] default
        assertEquals(8, OptionState.receiveWscale(15 * 1024 * 1024));
        assertEquals(0, OptionState.receiveWscale(4096));
        assertEquals(14, OptionState.receiveWscale(1L << 40));
    }
}
