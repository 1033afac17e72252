package netstack4j.ip;

import netstack4j.link.NetworkDevice;
import netstack4j.wire.Ipv4Address;
import netstack4j.wire.Ipv4Prefix;
import netstack4j.wire.MacAddress;

/**
 * One of a host's interfaces: a device with an IPv4 address on a subnet ({@code ip addr}).
 *
 * <p>Thread-compatible: owned by the stack's thread.
 */
public final class NetInterface {
    private final int index;
    private final NetworkDevice device;
    private final Ipv4Address address;
    private final Ipv4Prefix subnet;
    private boolean up = true;

    public NetInterface(int index, NetworkDevice device, Ipv4Address address, int prefixLength) {
        this.index = index;
        this.device = device;
        this.address = address;
        this.subnet = new Ipv4Prefix(address, prefixLength);
    }

    /** Interface index, from 1 as in Linux ({@code lo} has none here). */
    public int index() {
        return index;
    }

    public String name() {
        return device.name();
    }

    public NetworkDevice device() {
        return device;
    }

    public Ipv4Address address() {
        return address;
    }

    public Ipv4Prefix subnet() {
        return subnet;
    }

    public MacAddress macAddress() {
        return device.macAddress();
    }

    public int mtu() {
        return device.mtu();
    }

    public boolean isUp() {
        return up;
    }

    public void setUp(boolean up) {
        this.up = up;
    }

    @Override
    public String toString() {
        return name() + " " + address + "/" + subnet.length() + " " + macAddress() + " mtu " + mtu();
    }
}
