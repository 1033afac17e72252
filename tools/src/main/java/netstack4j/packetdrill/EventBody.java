package netstack4j.packetdrill;

/** What a timed event does: inject or expect a packet, call the kernel, run a command or code. */
public sealed interface EventBody
        permits TcpPacketEvent, UdpPacketEvent, IcmpPacketEvent, SyscallEvent, ShellEvent, CodeEvent {
}
