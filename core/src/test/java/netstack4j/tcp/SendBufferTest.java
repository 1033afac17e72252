package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SendBufferTest {

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void writeIsBoundedByCapacity() {
        SendBuffer b = new SendBuffer(100, 16);
        assertEquals(60, b.write(bytes(0, 60), 0, 60));
        assertEquals(40, b.write(bytes(60, 60), 0, 60));
        assertEquals(0, b.write(bytes(0, 1), 0, 1));
        assertEquals(100, b.size());
        assertEquals(0, b.free());
    }

    @Test
    void copyToBuildsSegmentsAtAnyOffset() {
        SendBuffer b = new SendBuffer(1000, 16);
        b.write(bytes(0, 200), 0, 200);
        byte[] seg = new byte[50];
        assertEquals(50, b.copyTo(30, seg, 0, 50));
        assertArrayEquals(bytes(30, 50), seg);
        assertEquals(20, b.copyTo(180, seg, 0, 50)); // the buffer ends first
        assertArrayEquals(bytes(180, 20), Arrays.copyOf(seg, 20));
        assertEquals(0, b.copyTo(200, seg, 0, 50));
        assertThrows(IndexOutOfBoundsException.class, () -> b.copyTo(201, seg, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> b.copyTo(-1, seg, 0, 1));
    }

    @Test
    void acknowledgeReleasesFromTheFrontAndOffsetsFollowSndUna() {
        SendBuffer b = new SendBuffer(1000, 16);
        b.write(bytes(0, 100), 0, 100);
        b.acknowledge(40);
        assertEquals(60, b.size());
        byte[] seg = new byte[10];
        b.copyTo(0, seg, 0, 10);
        assertArrayEquals(bytes(40, 10), seg);
        b.peek(seg, 0, 10);
        assertArrayEquals(bytes(40, 10), seg);
        assertThrows(IllegalArgumentException.class, () -> b.acknowledge(61));
        assertThrows(IllegalArgumentException.class, () -> b.acknowledge(-1));
    }

    @Test
    void memoryGrowsWithQueuedDataAndIsReleasedWhenAcknowledged() {
        SendBuffer b = new SendBuffer(64 * 1024);
        assertEquals(0, b.allocatedBytes());
        b.write(new byte[10], 0, 10);
        assertEquals(4096, b.allocatedBytes());
        b.write(new byte[10_000], 0, 10_000);
        assertEquals(3 * 4096, b.allocatedBytes()); // 10010 bytes span three pages
        b.acknowledge(8192);
        assertEquals(1 * 4096, b.allocatedBytes()); // bytes 8192..10009 in the third page
        b.acknowledge(b.size());
        assertEquals(0, b.allocatedBytes());
        assertEquals(3 * 4096, b.spareBytes());
        b.releaseSpare();
        assertEquals(0, b.spareBytes());
    }

    @Test
    void capacityIsSettableAndShrinkingKeepsQueuedBytes() {
        SendBuffer b = new SendBuffer(100, 16);
        b.write(bytes(0, 100), 0, 100);
        b.setCapacity(50);
        assertEquals(100, b.size());
        assertEquals(0, b.write(bytes(0, 1), 0, 1));
        b.acknowledge(60);
        assertEquals(10, b.write(bytes(100, 20), 0, 20));
        b.setCapacity(10_000);
        assertEquals(1000, b.write(bytes(110, 1000), 0, 1000));
        byte[] all = new byte[b.size()];
        b.copyTo(0, all, 0, all.length);
        assertArrayEquals(bytes(60, 1050), all);
        assertThrows(IllegalArgumentException.class, () -> b.setCapacity(-1));
    }

    @Test
    void steadyStateAllocatesNothing() {
        SendBuffer b = new SendBuffer(64 * 1024);
        byte[] chunk = new byte[1460];
        byte[] seg = new byte[1460];
        Runnable round = () -> {
            for (int i = 0; i < 2000; i++) {
                b.write(chunk, 0, chunk.length);
                if (b.size() > 40_000) {
                    b.copyTo(b.size() - 2000, seg, 0, seg.length);
                    b.copyTo(0, seg, 0, seg.length);
                    b.acknowledge(b.size() - 1000);
                }
            }
        };
        round.run(); // grow to the working set and warm up
        long allocated = Allocations.during(round);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in steady state");
    }
}
