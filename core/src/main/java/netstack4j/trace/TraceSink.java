package netstack4j.trace;

/**
 * Where a stack's {@link TraceEvent}s go. Producers check {@link #enabled()} before building an
 * event so that an idle trace costs nothing on the data path.
 */
public interface TraceSink {
    TraceSink NONE = new TraceSink() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void accept(TraceEvent event) {
        }
    };

    boolean enabled();

    void accept(TraceEvent event);

    /** A sink that passes each event to both. */
    static TraceSink tee(TraceSink a, TraceSink b) {
        return new TraceSink() {
            @Override
            public boolean enabled() {
                return a.enabled() || b.enabled();
            }

            @Override
            public void accept(TraceEvent event) {
                if (a.enabled()) {
                    a.accept(event);
                }
                if (b.enabled()) {
                    b.accept(event);
                }
            }
        };
    }
}
