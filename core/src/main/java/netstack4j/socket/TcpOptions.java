package netstack4j.socket;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import netstack4j.stack.NetStack;
import netstack4j.tcp.FastOpen;
import netstack4j.tcp.TcpConnection;
import netstack4j.tcp.TxTimestamps;
import netstack4j.tcp.ZeroCopy;

/** setsockopt/getsockopt for TCP sockets: typed options to the connection's settings. */
final class TcpOptions {
    private TcpOptions() {
    }

    static void set(NetStack stack, TcpConnection c, SocketOption<?> option, Object value) throws ErrnoException {
        if (option == StandardSocketOptions.SO_RCVBUF) {
            c.setReceiveBufferReported(BufferSizes.tcp(stack.config(), (Integer) value, true));
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            c.setSendBufferReported(BufferSizes.tcp(stack.config(), (Integer) value, false));
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            c.setReuseAddress((Boolean) value);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            c.setKeepAlive((Boolean) value);
        } else if (option == StandardSocketOptions.TCP_NODELAY) {
            c.setNoDelay((Boolean) value);
        } else if (option == StandardSocketOptions.SO_LINGER) {
            c.setLingerSeconds(Math.max(-1, (Integer) value));
        } else if (option == NetSocketOptions.TCP_CORK) {
            c.setCork((Boolean) value);
        } else if (option == NetSocketOptions.TCP_QUICKACK) {
            if ((Boolean) value) {
                c.appQuickAck();
            } else {
                c.leaveQuickAck();
            }
        } else if (option == NetSocketOptions.TCP_KEEPIDLE) {
            c.setKeepIdleSeconds(range((Integer) value, 1, 32767, option));
        } else if (option == NetSocketOptions.TCP_KEEPINTVL) {
            c.setKeepIntervalSeconds(range((Integer) value, 1, 32767, option));
        } else if (option == NetSocketOptions.TCP_KEEPCNT) {
            c.setKeepCount(range((Integer) value, 1, 127, option));
        } else if (option == NetSocketOptions.TCP_MAXSEG) {
            c.setUserMss(range((Integer) value, 88, 32767, option));
        } else if (option == NetSocketOptions.TCP_SYNCNT) {
            c.setSynCount(range((Integer) value, 1, 127, option));
        } else if (option == NetSocketOptions.TCP_USER_TIMEOUT) {
            c.setUserTimeoutMs(range((Integer) value, 0, Integer.MAX_VALUE, option));
        } else if (option == NetSocketOptions.TCP_NOTSENT_LOWAT) {
            c.setNotsentLowat((Integer) value);
        } else if (option == StandardSocketOptions.IP_TOS) {
            c.setIpTos((Integer) value & 0xff);
        } else if (option == NetSocketOptions.IP_MTU_DISCOVER) {
            c.setPmtuMode((netstack4j.ip.PmtuMode) value);
        } else if (option == NetSocketOptions.TCP_CONGESTION) {
            if (!c.setCongestion((String) value)) {
                throw new ErrnoException(Errno.ENOENT, "setsockopt TCP_CONGESTION " + value);
            }
        } else if (option == NetSocketOptions.TCP_FASTOPEN) {
            fastOpen(stack.tcp().fastOpen().setQueueLength(c, (Integer) value), option);
        } else if (option == NetSocketOptions.TCP_FASTOPEN_CONNECT) {
            fastOpen(stack.tcp().fastOpen().setConnectOption(c, (Integer) value), option);
        } else if (option == NetSocketOptions.TCP_FASTOPEN_NO_COOKIE) {
            fastOpen(FastOpen.setNoCookie(c, (Integer) value), option);
        } else if (option == NetSocketOptions.TCP_FASTOPEN_KEY) {
            fastOpen(stack.tcp().fastOpen().setKey(c, (byte[]) value), option);
        } else if (option == NetSocketOptions.SO_ZEROCOPY) {
            ZeroCopy.setEnabled(c, (Boolean) value);
        } else if (option == NetSocketOptions.SO_MARK) {
            c.setMark((Integer) value);
        } else if (option == NetSocketOptions.TCP_INQ) {
            c.setRecvmsgInq((Boolean) value);
        } else if (option == NetSocketOptions.SO_TIMESTAMPING) {
            Errno e = TxTimestamps.set(c, (Integer) value);
            if (e != null) {
                throw new ErrnoException(e, "setsockopt SO_TIMESTAMPING 0x" + Integer.toHexString((Integer) value));
            }
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT, "setsockopt " + option.name());
        }
    }

    private static void fastOpen(Errno e, SocketOption<?> o) throws ErrnoException {
        if (e != null) {
            throw new ErrnoException(e, "setsockopt " + o.name());
        }
    }

    private static int range(int v, int min, int max, SocketOption<?> o) throws ErrnoException {
        if (v < min || v > max) {
            throw new ErrnoException(Errno.EINVAL, "setsockopt " + o.name());
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static <T> T get(TcpConnection c, SocketOption<T> option) throws ErrnoException {
        Object v;
        if (option == StandardSocketOptions.SO_RCVBUF) {
            v = c.receiveBufferReported();
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            v = c.sendBufferReported();
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            v = c.reuseAddress();
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            v = c.keepAlive();
        } else if (option == StandardSocketOptions.TCP_NODELAY) {
            v = c.noDelay();
        } else if (option == StandardSocketOptions.SO_LINGER) {
            v = c.lingerSeconds();
        } else if (option == NetSocketOptions.TCP_CORK) {
            v = c.cork();
        } else if (option == NetSocketOptions.TCP_QUICKACK) {
            v = Boolean.TRUE;
        } else if (option == NetSocketOptions.TCP_KEEPIDLE) {
            v = c.keepIdleSeconds();
        } else if (option == NetSocketOptions.TCP_KEEPINTVL) {
            v = c.keepIntervalSeconds();
        } else if (option == NetSocketOptions.TCP_KEEPCNT) {
            v = c.keepCount();
        } else if (option == NetSocketOptions.TCP_MAXSEG) {
            v = c.maxSegment();
        } else if (option == NetSocketOptions.TCP_SYNCNT) {
            v = c.synCount();
        } else if (option == NetSocketOptions.TCP_USER_TIMEOUT) {
            v = c.userTimeoutMs();
        } else if (option == NetSocketOptions.TCP_NOTSENT_LOWAT) {
            v = c.notsentLowat();
        } else if (option == StandardSocketOptions.IP_TOS) {
            v = c.ipTos();
        } else if (option == NetSocketOptions.IP_MTU_DISCOVER) {
            v = c.pmtuMode();
        } else if (option == NetSocketOptions.TCP_CONGESTION) {
            v = c.congestionName();
        } else if (option == NetSocketOptions.TCP_FASTOPEN) {
            v = FastOpen.queueLength(c);
        } else if (option == NetSocketOptions.TCP_FASTOPEN_CONNECT) {
            v = FastOpen.connectOption(c) ? 1 : 0;
        } else if (option == NetSocketOptions.TCP_FASTOPEN_NO_COOKIE) {
            v = FastOpen.noCookie(c) ? 1 : 0;
        } else if (option == NetSocketOptions.TCP_INFO) {
            v = c.info();
        } else if (option == NetSocketOptions.SO_ERROR) {
            v = c.takeError();
        } else if (option == NetSocketOptions.SO_ACCEPTCONN) {
            v = c.isListening();
        } else if (option == NetSocketOptions.SO_TYPE) {
            v = 1;
        } else if (option == NetSocketOptions.SO_ZEROCOPY) {
            v = ZeroCopy.enabled(c);
        } else if (option == NetSocketOptions.SO_MARK) {
            v = c.mark();
        } else if (option == NetSocketOptions.TCP_INQ) {
            v = c.recvmsgInq();
        } else if (option == NetSocketOptions.SO_TIMESTAMPING) {
            v = TxTimestamps.get(c);
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT, "getsockopt " + option.name());
        }
        return (T) v;
    }
}
