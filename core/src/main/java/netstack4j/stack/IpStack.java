package netstack4j.stack;

import netstack4j.ip.NetInterface;
import netstack4j.link.NetworkDevice;
import netstack4j.wire.PacketBuffer;

/**
 * The IP layer of one stack and the engines above it. Filled in by the IP-layer work.
 */
public final class IpStack {
    private final NetStack stack;

    IpStack(NetStack stack) {
        this.stack = stack;
    }

    void interfaceAdded(NetInterface iface) {
    }

    void onFrame(NetworkDevice device, PacketBuffer frame) {
        stack.drop(DropReason.ETHERNET_UNKNOWN_TYPE, device.name());
    }
}
