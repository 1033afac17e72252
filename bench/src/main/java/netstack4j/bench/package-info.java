/**
 * JMH benchmarks: where speed and allocation goals are measured (never asserted in timed tests).
 * Build with {@code mvn -B -q -DskipTests package -pl bench -am}, run
 * {@code java -jar bench/target/benchmarks.jar NAME -prof gc}.
 */
package netstack4j.bench;
