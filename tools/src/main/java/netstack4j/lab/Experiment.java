package netstack4j.lab;

/**
 * One claim of the notes (NOTES.md) as a run: its id ({@code N26}), a short name
 * ({@code sack-resends-one}), the claim in one line, whether it runs under a personality other
 * than Linux, and the body that sets up a simulated network, runs it, tells what happened and
 * computes the verdict from what the run did.
 */
public record Experiment(String id, String name, String claim, String personality, Body body) {
    /** The run: writes its story into {@code run} and returns the verdict the run shows. */
    @FunctionalInterface
    public interface Body {
        Verdict run(Run run) throws Exception;
    }


    /** True when {@code key} is this experiment's id or name (ids ignore case). */
    public boolean matches(String key) {
        return id.equalsIgnoreCase(key) || name.equals(key);
    }
}
