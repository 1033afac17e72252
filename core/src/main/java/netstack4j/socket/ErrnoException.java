package netstack4j.socket;

import java.io.IOException;

/**
 * A socket call failed the way a C call returns {@code -1} and sets {@code errno}.
 */
public class ErrnoException extends IOException {
    private final Errno errno;

    /** A failure with {@code errno}. */
    public ErrnoException(Errno errno) {
        super(errno.name() + " (" + errno.text() + ")");
        this.errno = errno;
    }

    /** A failure with {@code errno} of the call named in {@code context} ("connect"). */
    public ErrnoException(Errno errno, String context) {
        super(context + ": " + errno.name() + " (" + errno.text() + ")");
        this.errno = errno;
    }

    /** The errno a C program would see. */
    public Errno errno() {
        return errno;
    }
}
