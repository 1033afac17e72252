package netstack4j.stack;

/**
 * Whose behaviour the stack follows where operating systems differ and the notes name one
 * (NOTES.md: "Where a note states an OS-specific fact, the stack reproduces it under that OS
 * personality"). Linux is the default.
 */
public enum Personality {
    /** Linux: the reference for timers, defaults and answers to odd input. */
    LINUX,
    /** Windows, for the behaviours the notes describe (buffer rounding, UDP buffer admission). */
    WINDOWS
}
