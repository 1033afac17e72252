package netstack4j.lab;

import java.util.ArrayList;
import java.util.List;
import netstack4j.trace.TraceEvent;
import netstack4j.trace.TraceSink;

/**
 * A trace sink a guided run switches on for one step and reads back afterwards, so each step
 * can show what happened inside the stacks during it.
 */
public final class StepRecorder implements TraceSink {
    private final List<TraceEvent> events = new ArrayList<>();
    private boolean recording;

    public void start() {
        events.clear();
        recording = true;
    }

    /** Stops recording and returns what was recorded. */
    public List<TraceEvent> stop() {
        recording = false;
        return List.copyOf(events);
    }

    @Override
    public boolean enabled() {
        return recording;
    }

    @Override
    public void accept(TraceEvent event) {
        if (recording) {
            events.add(event);
        }
    }
}
