/** The {@code netstack4j} command line: one picocli command per tool. */
package netstack4j.cli;
