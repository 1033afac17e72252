package netstack4j.lab;

import java.util.List;

final class ConnectExperiments {
    private ConnectExperiments() {
    }

    static List<Experiment> all() {
        return List.of();
    }
}
