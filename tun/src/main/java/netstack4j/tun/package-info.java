/**
 * Linux TUN/TAP devices for a real stack, through the FFM API ({@code java.lang.foreign}), with
 * no JNI and no native library of our own: {@link netstack4j.tun.TunDevice} is a
 * {@link netstack4j.link.NetworkDevice} over {@code /dev/net/tun} (TAP: Ethernet frames, ARP is
 * the stack's; TUN: IP packets), and {@link netstack4j.tun.DeviceLoop} is the real-time runtime
 * that drives a stack on such devices with the wall clock: the stack's one thread waits in
 * {@code ppoll(2)} on the devices and an {@code eventfd(2)} until a frame arrives, a timer falls
 * due or an application thread needs it, and reads frames in batches.
 *
 * <p>{@link netstack4j.tun.LinuxCalls} holds the system calls and their constants, each with
 * the kernel header it comes from.
 */
package netstack4j.tun;
