/**
 * The stack on a real Linux TAP/TUN device, as {@code netstack4j tap} runs it:
 * {@link netstack4j.tap.TapHost} (namespace, device, stack and {@link netstack4j.tun.DeviceLoop},
 * all undone on close), {@link netstack4j.tap.Netns} (namespaces through iproute2), the services
 * the kernel's tools talk to ({@link netstack4j.tap.EchoService}, {@link netstack4j.tap.DiscardService},
 * {@link netstack4j.tap.HttpService}, {@link netstack4j.tap.Iperf3Service}, on
 * {@link netstack4j.tap.TcpService}), and the stack as a client ({@link netstack4j.tap.StackClients}).
 * Everything here uses the stack through its public socket API, as any program would.
 */
package netstack4j.tap;
