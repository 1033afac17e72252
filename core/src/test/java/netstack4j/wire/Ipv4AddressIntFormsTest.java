package netstack4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The int forms the data path uses instead of making address objects give the same answers. */
class Ipv4AddressIntFormsTest {
    @Test
    void writeIntWritesNetworkByteOrderAsWrite() {
        byte[] viaObject = new byte[6];
        byte[] viaInt = new byte[6];
        Ipv4Address a = Ipv4Address.parse("192.168.1.254");
        a.write(viaObject, 1);
        Ipv4Address.writeInt(viaInt, 1, a.value());
        assertArrayEquals(new byte[] {0, (byte) 192, (byte) 168, 1, (byte) 254, 0}, viaInt);
        assertArrayEquals(viaObject, viaInt);
    }

    @Test
    void broadcastIntIsTheBroadcastAddress() {
        assertEquals(Ipv4Address.parse("10.0.1.255").value(), Ipv4Prefix.parse("10.0.1.0/24").broadcastInt());
        assertEquals(Ipv4Address.parse("10.0.1.7").value(), Ipv4Prefix.parse("10.0.1.6/31").broadcastInt());
        assertEquals(Ipv4Prefix.parse("172.16.0.0/12").broadcast().value(), Ipv4Prefix.parse("172.16.0.0/12").broadcastInt());
    }
}
