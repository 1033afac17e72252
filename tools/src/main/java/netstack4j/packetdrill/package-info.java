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
 * command. {@code -D NAME=VALUE} definitions stand for their value in the script.
 * Encapsulation prefixes ({@code ipv4 a > b:}, GRE, MPLS) are not supported.
 *
 * <p>Runner: {@link netstack4j.packetdrill.ScriptRunner} runs one script on a fresh simulated
 * stack the way packetdrill runs it, and returns PASS, FAIL with packetdrill's message, or SKIP
 * naming the feature the stack lacks. The parts, each following the packetdrill source file
 * named: {@code RunConfig} the flags (config.c); {@code ScriptExecution} the events in simulated
 * time (run.c); {@code OutboundSniffer} and {@code PacketPlayer} reading and matching outbound
 * packets and building inbound ones (run_packet.c, packet.c); {@link
 * netstack4j.packetdrill.Syscalls} (with {@code TcpCalls}) the descriptor-and-errno layer with
 * packetdrill's descriptor mapping (run_system_call.c); {@code ShellCommands}, {@code Shims} and
 * {@code StackSettings} the shell lines (run_command.c) and what they change; {@code CodeBlocks}
 * the Python blocks (code.c); {@link netstack4j.packetdrill.CorpusInventory} what a set of scripts
 * uses that the stack lacks. {@code ScriptDevice} is the network card (answers ARP, captures
 * what the stack sends).
 *
 * <p>The AST and parser are pure functions, safe from any thread; a runner execution is confined
 * to the thread that runs it and its simulator's processes.
 */
package netstack4j.packetdrill;
