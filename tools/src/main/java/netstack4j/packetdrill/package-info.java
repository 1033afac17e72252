/**
 * The packetdrill script language and a runner that plays scripts against a netstack4j stack.
 *
 * <p>Language: a hand-written lexer ({@link netstack4j.packetdrill.ScriptLexer}), a
 * recursive-descent parser ({@link netstack4j.packetdrill.ScriptParser}) that turns a {@code .pkt}
 * file into a typed, immutable AST rooted at {@link netstack4j.packetdrill.Script}, and a printer
 * ({@link netstack4j.packetdrill.ScriptPrinter}) that writes an AST back in packetdrill syntax.
 * The grammar follows google/packetdrill's {@code lexer.l} and {@code parser.y}: option lines
 * ({@code --name=value}), an optional init command, timed events (TCP, UDP and ICMP packets,
 * system calls, backquoted shell commands, {@code %{ }%} Python blocks) and an optional cleanup
 * command. Encapsulation prefixes ({@code ipv4 a > b:}, GRE, MPLS) and {@code --define} are not
 * supported.
 *
 * <p>Runner: {@link netstack4j.packetdrill.ScriptRunner} runs one script on a fresh simulated
 * stack (192.168.0.1/16 behind gateway 192.168.0.2, remote 192.0.2.1, MTU 1500) and returns PASS,
 * FAIL with packetdrill's message, or SKIP with what it cannot do. The parts:
 * {@code ScriptExecution} plays the events in simulated time; {@code ScriptDevice} is the network
 * card (answers ARP, captures what the stack sends); {@code PacketPlayer} builds inbound packets
 * and matches outbound ones with packetdrill's sequence-number mapping; {@link
 * netstack4j.packetdrill.Syscalls} (with {@code TcpCalls}) is the descriptor-and-errno layer over
 * the socket API; {@code Sysctls} and {@code CodeBlocks} handle shell lines and assertion blocks.
 *
 * <p>The AST and parser are pure functions, safe from any thread; a runner execution is confined
 * to the thread that runs it and its simulator's processes.
 */
package netstack4j.packetdrill;
