package netstack4j.socket;

import java.io.IOException;

/**
 * A socket call failed the way a C call returns {@code -1} and sets {@code errno}.
 */
public class ErrnoException extends IOException {
    private final Errno errno;

    public ErrnoException(Errno errno) {
        super(errno.name() + " (" + errno.text() + ")");
        this.errno = errno;
    }

    public ErrnoException(Errno errno, String context) {
        super(context + ": " + errno.name() + " (" + errno.text() + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
