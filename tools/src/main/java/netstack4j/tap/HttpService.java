package netstack4j.tap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import netstack4j.socket.ErrnoException;
import netstack4j.socket.TcpSocket;
import netstack4j.stack.NetStack;

/**
 * A small HTTP/1.1 server (RFC 9110, RFC 9112), port 80: {@code GET /} gives a page about the
 * stack, {@code GET /bytes/N} gives N bytes of the letters a to z repeated (to fetch something
 * large and check it), anything else 404. GET and HEAD; persistent connections unless the
 * client says {@code Connection: close} or speaks HTTP/1.0 (RFC 9112 section 9.3).
 */
public final class HttpService extends TcpService {
    public static final int PORT = 80;
    /** The largest request head accepted (the request line and header fields). */
    static final int MAX_HEAD = 16384;
    private static final long MAX_BYTES = 1L << 34;

    public HttpService(NetStack stack, int port, Consumer<String> log) {
        super(stack, port, "http", log);
    }

    /** Byte {@code i} of {@code /bytes/N}. */
    public static byte patternByte(long i) {
        return (byte) ('a' + (int) (i % 26));
    }

    @Override
    protected void serve(TcpSocket s) throws ErrnoException {
        byte[] buf = new byte[MAX_HEAD];
        int have = 0;
        while (true) {
            int end;
            while ((end = headEnd(buf, have)) < 0) {
                if (have == buf.length) {
                    respond(s, "400 Bad Request", "request head too large\n", false, true);
                    return;
                }
                int n = s.read(buf, have, buf.length - have);
                if (n == 0) {
                    return; // the client closed between requests
                }
                have += n;
            }
            String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
            System.arraycopy(buf, end + 4, buf, 0, have - end - 4);
            have -= end + 4;
            if (!answer(s, head)) {
                return;
            }
        }
    }

    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Answers one request; false when the connection ends after it. */
    private boolean answer(TcpSocket s, String head) throws ErrnoException {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
            respond(s, "400 Bad Request", "bad request line\n", false, true);
            return false;
        }
        boolean close = request[2].equals("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(Locale.ROOT);
            if (l.startsWith("connection:")) {
                close = l.contains("close") || close && !l.contains("keep-alive");
            }
        }
        String method = request[0];
        String path = request[1];
        boolean headOnly = method.equals("HEAD");
        log(s.remoteAddress() + ": " + method + " " + path);
        if (!method.equals("GET") && !headOnly) {
            respond(s, "405 Method Not Allowed", "only GET and HEAD\n", headOnly, close);
        } else if (path.equals("/") || path.equals("/index.html")) {
            respond(s, "200 OK", page(s), headOnly, close);
        } else if (path.startsWith("/bytes/") && path.substring(7).matches("\\d{1,11}")
                && Long.parseLong(path.substring(7)) <= MAX_BYTES) {
            sendPattern(s, Long.parseLong(path.substring(7)), headOnly, close);
        } else {
            respond(s, "404 Not Found", "not found: " + path + "\n", headOnly, close);
        }
        return !close;
    }

    private String page(TcpSocket s) {
        return "<!DOCTYPE html>\n<html><head><title>netstack4j</title></head><body>\n"
                + "<h1>Hello from netstack4j</h1>\n<p>A TCP/IP stack in Java answered this request from "
                + s.remoteAddress() + " on " + s.localAddress() + ".</p>\n"
                + "<p>Try <a href=\"/bytes/1000000\">/bytes/1000000</a>.</p>\n</body></html>\n";
    }

    private static void respond(TcpSocket s, String status, String body, boolean head, boolean close) throws ErrnoException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String type = body.startsWith("<!DOCTYPE") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(status, type, b.length, close));
        if (!head) {
            out.writeBytes(b);
        }
        byte[] all = out.toByteArray();
        writeFully(s, all, 0, all.length);
    }

    private static byte[] header(String status, String type, long length, boolean close) {
        return ("HTTP/1.1 " + status + "\r\nServer: netstack4j\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void sendPattern(TcpSocket s, long n, boolean head, boolean close) throws ErrnoException {
        byte[] h = header("200 OK", "application/octet-stream", n, close);
        writeFully(s, h, 0, h.length);
        if (head) {
            return;
        }
        byte[] chunk = new byte[26 * 2520]; // a whole number of periods, so every chunk starts at 'a'
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = patternByte(i);
        }
        long left = n;
        while (left > 0) {
            int len = (int) Math.min(left, chunk.length);
            writeFully(s, chunk, 0, len);
            left -= len;
        }
    }
}
