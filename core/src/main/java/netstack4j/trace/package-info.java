/** Structured trace events and their sinks (memory, text, pcap). */
package netstack4j.trace;
