/**
 * The packetdrill script language: a hand-written lexer ({@link netstack4j.packetdrill.ScriptLexer}),
 * a recursive-descent parser ({@link netstack4j.packetdrill.ScriptParser}) that turns a {@code .pkt}
 * file into a typed, immutable AST rooted at {@link netstack4j.packetdrill.Script}, and a printer
 * ({@link netstack4j.packetdrill.ScriptPrinter}) that writes an AST back in packetdrill syntax.
 *
 * <p>The grammar follows google/packetdrill's {@code lexer.l} and {@code parser.y}: option lines
 * ({@code --name=value}), an optional init command, timed events (TCP, UDP and ICMP packets,
 * system calls, backquoted shell commands, {@code %{ }%} Python blocks) and an optional cleanup
 * command. The parser keeps what the script says (relative sequence numbers, symbolic constants,
 * unknown system call names); deciding what it means is the executor's job. Encapsulation
 * prefixes ({@code ipv4 a > b:}, GRE, MPLS) and the {@code --define} symbol substitution that
 * packetdrill's lexer performs are not supported.
 *
 * <p>Everything here is a pure function of its input and is safe to use from any thread.
 */
package netstack4j.packetdrill;
