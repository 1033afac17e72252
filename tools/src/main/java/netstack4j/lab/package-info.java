/** Ready-made simulated networks (labs) that the commands and experiments run on. */
package netstack4j.lab;
