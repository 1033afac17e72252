package netstack4j.cli;

import java.io.PrintWriter;
import java.util.List;
import netstack4j.report.NstatReport;
import netstack4j.stack.NetStack;
import picocli.CommandLine.Option;

/** {@code --nstat}, shared by the commands: at the end, every host's counters as {@code nstat -az} prints them. */
public final class NstatOption {
    @Option(names = "--nstat", description = "At the end, print every host's counters as nstat -az would.")
    boolean nstat;

    public boolean enabled() {
        return nstat;
    }

    /** When on, prints {@code nstat -az on HOST:} and the counters of each host. */
    public void print(PrintWriter out, List<NetStack> hosts) {
        if (!nstat) {
            return;
        }
        for (NetStack h : hosts) {
            out.println("nstat -az on " + h.name() + ":");
            out.print(NstatReport.format(h.counters().snapshot()));
        }
    }
}
