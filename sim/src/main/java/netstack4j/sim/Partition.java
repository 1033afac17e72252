package netstack4j.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of links cut together and healed together: a network partition. {@link #heal()} brings
 * back up only the links that this partition took down, so a link that was already down stays
 * down.
 *
 * <p>Threading: use from the simulation's owner (test code between runs, an event, a process).
 */
public final class Partition {
    private final Simulator sim;
    private final List<SimLink> links;
    private final List<SimLink> cutByMe = new ArrayList<>();
    private boolean active;

    Partition(Simulator sim, Collection<SimLink> links) {
        this.sim = sim;
        this.links = List.copyOf(links);
    }

    /** A partition of {@code links} that is not cut yet. */
    public static Partition of(Simulator sim, Collection<SimLink> links) {
        return new Partition(sim, links);
    }

    public List<SimLink> links() {
        return links;
    }

    public boolean isActive() {
        return active;
    }

    /** Takes every link down now; does nothing when already cut. */
    public void cut() {
        if (active) {
            return;
        }
        active = true;
        for (SimLink l : links) {
            if (l.isUp()) {
                l.down();
                cutByMe.add(l);
            }
        }
    }

    /** Brings the links this partition cut back up; does nothing when not cut. */
    public void heal() {
        if (!active) {
            return;
        }
        active = false;
        for (SimLink l : cutByMe) {
            l.up();
        }
        cutByMe.clear();
    }

    /** Schedules {@link #cut()} at {@code cutAtNs} and {@link #heal()} at {@code healAtNs}. */
    public Partition schedule(long cutAtNs, long healAtNs) {
        if (healAtNs - cutAtNs < 0) {
            throw new IllegalArgumentException("heal before cut");
        }
        sim.schedule(cutAtNs, this::cut);
        sim.schedule(healAtNs, this::heal);
        return this;
    }

    @Override
    public String toString() {
        return "Partition[" + links.size() + " links" + (active ? ", cut" : "") + "]";
    }
}
