package netstack4j.lab;

import java.util.List;
import java.util.Locale;

/**
 * What one experiment's run produced: its story, its verdict, and the run (kept open until the
 * report is written, for its frames and series).
 */
public record Outcome(Experiment experiment, String personality, long seed, List<String> setup,
                      List<String> happened, Verdict verdict, Run run, long wallNs) {

    /** The text the command prints for this experiment. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("== ").append(experiment.id()).append(' ').append(experiment.name()).append('\n');
        b.append("Claim: ").append(experiment.claim()).append('\n');
        for (String s : setup) {
            b.append("Setup: ").append(s).append('\n');
        }
        if (!happened.isEmpty()) {
            b.append("What happens:\n");
            for (String h : happened) {
                b.append("  ").append(h).append('\n');
            }
        }
        b.append("Verdict: ").append(verdictLine()).append('\n');
        return b.toString();
    }

    /**
     * The verdict, naming the personality the hosts followed; experiments that compare Linux
     * and Windows side by side always judge Linux.
     */
    public String verdictLine() {
        String p = experiment.personality().equals("windows") ? "linux" : personality;
        return verdict.line(p.substring(0, 1).toUpperCase(Locale.ROOT) + p.substring(1));
    }
}
