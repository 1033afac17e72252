package netstack4j.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netstack4j.sim.LinkParams;
import netstack4j.sim.Partition;
import netstack4j.stack.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Netty 4.2's NIO transport, unmodified, through {@code NioIoHandler.newFactory(provider)}: an echo
 * server on one simulated host, a client on another, across a router whose links lose 2 % of
 * frames and are cut for two (virtual) seconds mid-transfer (when the first echoed bytes are
 * back), then healed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyEchoTest {
    static final LinkParams LOSSY = LinkParams.of(100_000_000L, 5_000_000L).withLoss(0.02);
    static final int BYTES = 256 * 1024;

    @Test
    void echoSurvivesLossAndAHealedPartition() throws Exception {
        byte[] data = HttpOverSimulationTest.randomBytes(5, BYTES);
        try (PacedNetwork n = new PacedNetwork(9, LOSSY, 10)) {
            NetSelectorProvider serverSide = NetSelectorProvider.of(n.server());
            NetSelectorProvider clientSide = NetSelectorProvider.of(n.client());
            EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(serverSide));
            EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(clientSide));
            try {
                Channel server = new ServerBootstrap()
                        .group(serverLoop)
                        .channelFactory(() -> new NioServerSocketChannel(serverSide))
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new Echo());
                            }
                        })
                        .bind(new InetSocketAddress(9000)).sync().channel();

                CompletableFuture<byte[]> echoed = new CompletableFuture<>();
                // The link is cut when the first echoed bytes come back, so the cut falls mid-transfer
                // however late the wall clock lets the threads run (this mode is paced, not exact).
                long[] healAt = new long[1];
                Runnable cut = () -> healAt[0] = n.pacer.call(() -> {
                    long now = n.sim.nowNs();
                    Partition.of(n.sim, List.of(n.net.clientLink())).schedule(now, now + 2_000_000_000L);
                    return now + 2_000_000_000L;
                });
                Channel client = new Bootstrap()
                        .group(clientLoop)
                        .channelFactory(() -> new NioSocketChannel(clientSide))
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new Collector(BYTES, echoed, cut))
                        .connect(new InetSocketAddress("10.0.2.2", 9000)).sync().channel();

                client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
                assertArrayEquals(data, echoed.get(50, TimeUnit.SECONDS));
                long doneAtNs = n.pacer.call(n.sim::nowNs);
                assertTrue(healAt[0] > 0 && doneAtNs > healAt[0], "the echo finished after the partition healed, not before it began");
                client.close().sync();
                server.close().sync();
            } finally {
                clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
                serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
            long timeouts = n.pacer.call(() -> n.client().counters().get(Counter.TcpExtTCPTimeouts)
                    + n.server().counters().get(Counter.TcpExtTCPTimeouts));
            assertTrue(timeouts > 0, "the partition must have cost retransmission timeouts");
        }
    }

    /** Writes back what it reads. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Collects {@code expected} bytes, then completes; runs {@code onFirstRead} at the first bytes. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        private final int expected;
        private final CompletableFuture<byte[]> done;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private Runnable onFirstRead;

        Collector(int expected, CompletableFuture<byte[]> done) {
            this(expected, done, () -> { });
        }

        Collector(int expected, CompletableFuture<byte[]> done, Runnable onFirstRead) {
            this.expected = expected;
            this.done = done;
            this.onFirstRead = onFirstRead;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (onFirstRead != null) {
                Runnable first = onFirstRead;
                onFirstRead = null;
                first.run();
            }
            ByteBuf b = (ByteBuf) msg;
            try {
                byte[] chunk = new byte[b.readableBytes()];
                b.readBytes(chunk);
                got.writeBytes(chunk);
            } finally {
                b.release();
            }
            if (got.size() >= expected) {
                done.complete(got.toByteArray());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
