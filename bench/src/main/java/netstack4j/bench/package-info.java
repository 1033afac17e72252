/**
 * Benchmarks: where speed and allocation goals are measured (never asserted in timed tests).
 * JMH benchmarks ({@code java -jar bench/target/benchmarks.jar NAME -prof gc}) and the
 * end-to-end measures {@code bench/compare} runs beside their anchors (iperf3, JDK sockets, the
 * kernel's slab, ns-3): {@link netstack4j.bench.BulkGoodput} (P1), {@link netstack4j.bench.LoopbackRates}
 * (P3, P6), {@link netstack4j.bench.ConnectionMemory} (P4), {@link netstack4j.bench.DumbbellSim} (P5);
 * each prints one {@code RESULT} line. Build with {@code mvn -B -q -DskipTests package -pl bench -am}.
 */
package netstack4j.bench;
