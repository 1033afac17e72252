package netstack4j.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import netstack4j.trace.PcapWriter;
import netstack4j.wire.MacAddress;
import netstack4j.wire.PacketBuffer;
import org.junit.jupiter.api.Test;

class CaptureDeviceTest {
    /** A device that keeps what it is given and overwrites it, as a device that owns a frame may. */
    static final class RecordingDevice implements NetworkDevice {
        final List<byte[]> sent = new ArrayList<>();
        FrameHandler handler;

        @Override
        public String name() {
            return "eth0";
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public MacAddress macAddress() {
            return MacAddress.local(1);
        }

        @Override
        public boolean transmit(PacketBuffer frame) {
            sent.add(frame.toByteArray());
            Arrays.fill(frame.array(), (byte) 0x55);
            return true;
        }

        @Override
        public void setFrameHandler(FrameHandler handler) {
            this.handler = handler;
        }
    }

    @Test
    void recordsTransmittedAndReceivedFramesAndPassesThemOn() throws IOException {
        RecordingDevice inner = new RecordingDevice();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] now = {5_000_000_000L};
        CaptureDevice capture = new CaptureDevice(inner, new PcapWriter(out), () -> now[0]);
        List<NetworkDevice> receivedOn = new ArrayList<>();
        List<byte[]> received = new ArrayList<>();
        capture.setFrameHandler((device, frame) -> {
            receivedOn.add(device);
            received.add(frame.toByteArray());
        });

        byte[] tx = new byte[60];
        Arrays.fill(tx, (byte) 1);
        assertTrue(capture.transmit(PacketBuffer.copyOf(tx, 0, tx.length)));
        now[0] += 1_000;
        byte[] rx = new byte[64];
        Arrays.fill(rx, (byte) 2);
        inner.handler.onFrame(inner, PacketBuffer.wrap(rx.clone()));

        assertArrayEquals(tx, inner.sent.getFirst());
        assertArrayEquals(rx, received.getFirst());
        assertSame(capture, receivedOn.getFirst());
        assertEquals("eth0", capture.name());
        assertEquals(1500, capture.mtu());

        byte[] pcap = out.toByteArray();
        assertEquals(24 + 16 + 60 + 16 + 64, pcap.length);
        // The transmitted frame was copied into the capture before the device overwrote it.
        assertArrayEquals(tx, Arrays.copyOfRange(pcap, 40, 100));
        assertEquals(5, pcap[24]);
        assertEquals(1, pcap[24 + 16 + 60 + 4]);
        assertArrayEquals(rx, Arrays.copyOfRange(pcap, 116, 180));
    }
}
