package netstack4j.nio;

import netstack4j.socket.Pollable;
import netstack4j.stack.NetStack;

/** What a {@link NetSelector} needs from each of this package's channels. */
interface NetChannel {
    /** The stack the channel's socket lives on. */
    NetStack stack();

    /** The socket a poller watches. */
    Pollable pollable();

    /** The {@link netstack4j.socket.PollEvents} to watch for a set of {@code SelectionKey} ops. */
    int pollEvents(int interestOps);

    /**
     * The ready ops for what the poller reported, as the JDK's {@code translateReadyOps}: an
     * error or hang-up makes every interesting op ready (the next call then reports it).
     */
    int readyOps(int events, int interestOps);
}
