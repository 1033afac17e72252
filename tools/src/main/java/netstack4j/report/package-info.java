/** Reports in the formats network engineers read: {@code ss}, {@code netstat -s}. */
package netstack4j.report;
