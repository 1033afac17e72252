package netstack4j.packetdrill;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A system call and its expected outcome, for example
 * {@code connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)}. Any name parses; the
 * executor decides which calls it supports.
 *
 * @param name               the call's name
 * @param args               the arguments
 * @param result             the expected return value
 * @param errno              the expected errno name, or null
 * @param errnoText          the parenthesised text after the errno (or after the result when
 *                           there is no errno), with runs of white space made single, or null
 * @param blockingEndMicros  for a blocking call {@code t1...t2 call()}, the time {@code t2} at
 *                           which the call returns, as written (seconds in microseconds)
 */
public record SyscallEvent(String name, List<Expr> args, Expr result, String errno,
                           String errnoText, OptionalLong blockingEndMicros) implements EventBody {
    public SyscallEvent {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(blockingEndMicros, "blockingEndMicros");
    }

    /** A non-blocking call. */
    public SyscallEvent(String name, List<Expr> args, Expr result, String errno, String errnoText) {
        this(name, args, result, errno, errnoText, OptionalLong.empty());
    }
}
