package netstack4j.tap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.Ipv4SocketAddress;
import netstack4j.socket.Shutdown;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;
import netstack4j.wire.Ipv4Address;

/**
 * The stack as a client of servers on the other side: an HTTP/1.1 GET, and a netcat-like pipe
 * between a connection and a pair of streams (with a half-close when the input ends).
 *
 * <p>Thread-safe (stateless; each call opens its own socket).
 */
public final class StackClients {
    private StackClients() {
    }

    /** What an HTTP server answered: the status line's code, the head, the body. */
    public record HttpResponse(int status, String head, byte[] body) {
    }

    /**
     * GET {@code url} (http://a.b.c.d[:port]/path) with {@code Connection: close}; the body is
     * what follows the head up to the server's FIN, cut to Content-Length when there is one.
     */
    public static HttpResponse httpGet(NetStack stack, String url, Duration timeout) throws IOException {
        URI u = URI.create(url);
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
            throw new IOException("not an http://ADDRESS[:PORT]/PATH URL: " + url);
        }
        Ipv4SocketAddress to = new Ipv4SocketAddress(Ipv4Address.parse(u.getHost()), u.getPort() < 0 ? 80 : u.getPort());
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        try (TcpSocket s = stack.sockets().tcp()) {
            s.setWriteTimeout(timeout);
            s.setReadTimeout(timeout);
            s.connect(to);
            byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nUser-Agent: netstack4j\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            TcpService.writeFully(s, req, 0, req.length);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = s.read(buf, 0, buf.length)) > 0) {
                all.write(buf, 0, n);
            }
            return parse(all.toByteArray());
        }
    }

    private static HttpResponse parse(byte[] r) throws IOException {
        String text = new String(r, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0 || text.length() < 12) {
            throw new IOException("not an HTTP response (" + r.length + " bytes)");
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(text.substring(9, 12));
        int bodyStart = end + 4;
        int bodyLength = r.length - bodyStart;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                bodyLength = (int) Math.min(bodyLength, Long.parseLong(line.substring(15).trim()));
            }
        }
        byte[] body = new byte[bodyLength];
        System.arraycopy(r, bodyStart, body, 0, bodyLength);
        return new HttpResponse(status, head, body);
    }

    /**
     * Connects to {@code to} and copies {@code in} to the connection and the connection to
     * {@code out}, as {@code nc -N} does: at the end of {@code in} the sending side is shut down
     * (FIN), and the call returns when the server has closed its side. Returns bytes received.
     */
    public static long pipe(NetStack stack, Ipv4SocketAddress to, InputStream in, OutputStream out, Duration connectTimeout)
            throws IOException {
        try (TcpSocket s = stack.sockets().tcp()) {
            s.setWriteTimeout(connectTimeout);
            s.connect(to);
            s.setWriteTimeout(Duration.ZERO);
            IOException[] failure = new IOException[1];
            Thread sender = Thread.ofPlatform().daemon(true).name("pipe-send").start(() -> {
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        TcpService.writeFully(s, buf, 0, n);
                    }
                    s.shutdown(Shutdown.WRITE);
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            long total = 0;
            byte[] buf = new byte[65536];
            int n;
            while ((n = s.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                total += n;
            }
            try {
                sender.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure[0] instanceof ErrnoException e) {
                throw e;
            }
            return total;
        }
    }
}
