package netstack4j.sim;

/** The code of a simulated process, written as ordinary blocking code. */
@FunctionalInterface
public interface ProcessBody {
    void run(ProcessContext ctx) throws Exception;
}
