package netstack4j.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import netstack4j.wire.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Opening and closing real TUN/TAP interfaces, and the one-line errors. The interfaces made here
 * carry no address and no traffic; each is removed by closing it.
 */
class TunDeviceTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:10:01");

    private static void assumeDevice() {
        String reason = !"root".equals(System.getProperty("user.name")) ? "not root"
                : !Files.exists(Path.of("/dev/net/tun")) ? "no /dev/net/tun" : null;
        if (reason != null) {
            System.out.println("SKIPPED (real-device test): " + reason);
        }
        assumeTrue(reason == null, reason);
    }

    private static String uniqueName(String prefix) {
        return prefix + ProcessHandle.current().pid() % 100_000;
    }

    @Test
    void aTapInterfaceExistsWhileOpenAndGoesAwayOnClose() throws Exception {
        assumeDevice();
        for (TunMode mode : TunMode.values()) {
            String name = uniqueName(mode == TunMode.TAP ? "t4tap" : "t4tun");
            Path sys = Path.of("/sys/class/net", name);
            TunDevice d = TunDevice.open(name, mode, 1500, MAC);
            try {
                assertTrue(Files.exists(sys), name + " should exist while open");
                assertEquals(mode, d.mode());
                // TAP: type 1 (ARPHRD_ETHER); TUN: 65534 (ARPHRD_NONE), as <linux/if_arp.h> numbers them.
                assertEquals(mode == TunMode.TAP ? "1" : "65534", Files.readString(sys.resolve("type")).trim());
            } finally {
                d.close();
            }
            assertFalse(Files.exists(sys), name + " should be gone after close");
            d.close(); // idempotent
        }
    }

    @Test
    void aNameInUseIsRefusedWithOneLine() throws Exception {
        assumeDevice();
        String name = uniqueName("t4dup");
        try (TunDevice first = TunDevice.open(name, TunMode.TAP, 1500, MAC)) {
            IOException e = assertThrows(IOException.class, () -> TunDevice.open(name, TunMode.TAP, 1500, MAC));
            assertEquals("the interface name " + name + " is taken (ip link show " + name + ")", e.getMessage());
            assertTrue(first.fd() >= 0);
        }
        IOException lo = assertThrows(IOException.class, () -> TunDevice.open("lo", TunMode.TAP, 1500, MAC));
        assertEquals("the interface name lo is taken (ip link show lo)", lo.getMessage());
    }

    @Test
    void badNamesAreRefusedBeforeAnySystemCall() {
        for (String bad : new String[] {"", "way-too-long-name", "a b", "x/y"}) {
            IOException e = assertThrows(IOException.class, () -> TunDevice.open(bad, TunMode.TAP, 1500, MAC));
            assertTrue(e.getMessage().startsWith("bad interface name '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void setIffErrorsAreSpelledOut() {
        // The errno to message mapping, for the errors root cannot provoke here.
        assertEquals("creating tap9 needs CAP_NET_ADMIN (run as root)", TunDevice.setIffFailure("tap9", LinuxCalls.EPERM));
        assertEquals("the interface name tap9 is taken (a TUN/TAP device of that name is in use)",
                TunDevice.setIffFailure("tap9", LinuxCalls.EBUSY));
        assertEquals("cannot open /dev/net/tun: permission denied (run as root, or with CAP_NET_ADMIN)",
                TunDevice.openFailure(LinuxCalls.EACCES));
        assertEquals("no /dev/net/tun: this system has no TUN/TAP driver (try modprobe tun)", TunDevice.openFailure(LinuxCalls.ENOENT));
    }
}
