/**
 * Name resolution over UDP (N13): the DNS message codec, a stub resolver for every stack and a
 * small authoritative server for simulated networks.
 */
package netstack4j.dns;
