package netstack4j.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LongKeyMapProperties {
    /** Any sequence of puts and removes leaves the map agreeing with java.util.HashMap. */
    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll @Size(max = 400) List<@LongRange(min = -40, max = 40) Long> ops) {
        LongKeyMap<String> map = new LongKeyMap<>();
        Map<Long, String> model = new HashMap<>();
        int step = 0;
        for (long k : ops) {
            step++;
            if (k % 3 == 0) {
                map.remove(k * 1_000_003L);
                model.remove(k * 1_000_003L);
            } else {
                map.put(k * 1_000_003L, "v" + step);
                model.put(k * 1_000_003L, "v" + step);
            }
            assertEquals(model.size(), map.size());
        }
        for (long k = -40; k <= 40; k++) {
            assertEquals(model.get(k * 1_000_003L), map.get(k * 1_000_003L), "key " + k);
        }
    }
}
