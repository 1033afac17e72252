package netstack4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SeqNumProperties {

    @Property
    void aPositiveStepIsLaterEvenAcrossTheWrap(@ForAll int a, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int d) {
        int b = SeqNum.add(a, d);
        assertTrue(SeqNum.lt(a, b));
        assertTrue(SeqNum.le(a, b));
        assertTrue(SeqNum.gt(b, a));
        assertTrue(SeqNum.ge(b, a));
        assertFalse(SeqNum.lt(b, a));
        assertFalse(SeqNum.ge(a, b));
        assertEquals(d, SeqNum.diff(b, a));
        assertEquals(-d, SeqNum.diff(a, b));
        assertEquals(b, SeqNum.max(a, b));
        assertEquals(b, SeqNum.max(b, a));
        assertEquals(a, SeqNum.min(a, b));
        assertEquals(a, SeqNum.min(b, a));
    }

    @Property
    void equalValuesAreLeAndGeButNotLtOrGt(@ForAll int a) {
        assertTrue(SeqNum.le(a, a));
        assertTrue(SeqNum.ge(a, a));
        assertFalse(SeqNum.lt(a, a));
        assertFalse(SeqNum.gt(a, a));
        assertEquals(0, SeqNum.diff(a, a));
    }

    @Property
    void inWindowIsStartInclusiveEndExclusive(@ForAll int start, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int size,
                                              @ForAll int offset) {
        int seq = start + offset;
        boolean expected = offset >= 0 && offset < size;
        assertEquals(expected, SeqNum.inWindow(seq, start, size));
    }

    @Property
    void windowEndpoints(@ForAll int start, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int size) {
        assertTrue(SeqNum.inWindow(start, start, size));
        assertTrue(SeqNum.inWindow(start + size - 1, start, size));
        assertFalse(SeqNum.inWindow(start + size, start, size));
        assertFalse(SeqNum.inWindow(start - 1, start, size));
    }

    @Property
    void comparisonIsTransitiveWithinHalfTheSpace(@ForAll int a, @ForAll @IntRange(min = 1, max = 1 << 29) int d1,
                                                 @ForAll @IntRange(min = 1, max = 1 << 29) int d2) {
        int b = a + d1;
        int c = b + d2;
        assertTrue(SeqNum.lt(a, b) && SeqNum.lt(b, c) && SeqNum.lt(a, c));
    }

    @Example
    void wrapExamples() {
        assertTrue(SeqNum.lt(0xFFFF_FFF0, 0x0000_0010));
        assertTrue(SeqNum.gt(0, -1));
        assertEquals(0x20, SeqNum.diff(0x0000_0010, 0xFFFF_FFF0));
        assertTrue(SeqNum.inWindow(5, 0xFFFF_FFFB, 16));
        assertFalse(SeqNum.inWindow(11, 0xFFFF_FFFB, 16));
        assertFalse(SeqNum.inWindow(7, 7, 0));
        assertEquals("4294967295", SeqNum.toString(-1));
    }
}
