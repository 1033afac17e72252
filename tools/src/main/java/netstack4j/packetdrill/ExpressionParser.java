package netstack4j.packetdrill;

import java.util.ArrayList;
import java.util.List;

import netstack4j.packetdrill.Expr.ArrayExpr;
import netstack4j.packetdrill.Expr.BinaryOrExpr;
import netstack4j.packetdrill.Expr.CallExpr;
import netstack4j.packetdrill.Expr.Field;
import netstack4j.packetdrill.Expr.IntExpr;
import netstack4j.packetdrill.Expr.StringExpr;
import netstack4j.packetdrill.Expr.StructExpr;
import netstack4j.packetdrill.Expr.SymbolExpr;

/**
 * Parses the C-like expressions of system calls (parser.y's {@code expression}):
 * <pre>
 * expression := primary ('|' primary)*
 * primary    := '...' | INTEGER | HEX_INTEGER | STRING+ ['...'] | WORD ['(' [list] ')']
 *             | '[' [list] ']' | '{' [member (',' member)*] '}'
 * member     := WORD ['(' [list] ')'] '=' expression | expression
 * </pre>
 * packetdrill's fixed struct shapes (sockaddr, msghdr, iovec, pollfd, linger, epoll_event, …)
 * are all instances of the general struct form, so they parse here without special cases.
 */
final class ExpressionParser {
    private final TokenCursor in;

    ExpressionParser(TokenCursor in) {
        this.in = in;
    }

    Expr expression() {
        Expr first = primary();
        if (!in.peek().is('|')) {
            return first;
        }
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        while (in.accept('|')) {
            operands.add(primary());
        }
        return new BinaryOrExpr(operands);
    }

    /** Comma-separated expressions up to (and consuming) {@code close}. */
    List<Expr> listUntil(char close, String context) {
        List<Expr> items = new ArrayList<>();
        if (in.accept(close)) {
            return items;
        }
        items.add(expression());
        while (!in.peek().is(close)) {
            if (!in.peek().is(',')) {
                throw in.syntax(in.peek(), "expected ',' or '" + close + "' " + context);
            }
            in.next();
            items.add(expression());
        }
        in.next();
        return items;
    }

    private Expr primary() {
        Token t = in.peek();
        switch (t.kind()) {
            case ELLIPSIS -> {
                in.next();
                return Expr.ELLIPSIS;
            }
            case INTEGER, HEX_INTEGER -> {
                in.next();
                return new IntExpr(in.integerValue(t), t.kind() == TokenKind.HEX_INTEGER);
            }
            case STRING -> {
                StringBuilder value = new StringBuilder();
                while (in.peek().kind() == TokenKind.STRING) {
                    value.append(in.next().text());
                }
                boolean prefix = in.peek().kind() == TokenKind.ELLIPSIS;
                if (prefix) {
                    in.next();
                }
                return new StringExpr(value.toString(), prefix);
            }
            case WORD -> {
                in.next();
                if (in.accept('(')) {
                    return new CallExpr(t.text(), listUntil(')', "in the arguments of '" + t.text() + "'"));
                }
                return new SymbolExpr(t.text());
            }
            case PUNCT -> {
                if (in.accept('[')) {
                    return new ArrayExpr(listUntil(']', "in array"));
                }
                if (t.is('{')) {
                    return struct();
                }
            }
            default -> {
            }
        }
        throw in.syntax(t, "expected an expression");
    }

    private Expr struct() {
        in.expect('{', "to open a struct");
        List<Field> fields = new ArrayList<>();
        if (in.accept('}')) {
            return new StructExpr(fields);
        }
        fields.add(member());
        while (!in.peek().is('}')) {
            if (!in.peek().is(',')) {
                throw in.syntax(in.peek(), "expected ',' or '}' in struct");
            }
            in.next();
            fields.add(member());
        }
        in.next();
        return new StructExpr(fields);
    }

    private Field member() {
        Token name = in.peek();
        if (name.kind() == TokenKind.WORD && in.peek(1).is('=')) {
            in.next();
            in.next();
            return new Field(name.text(), expression());
        }
        if (name.kind() == TokenKind.WORD && in.peek(1).is('(')) {
            in.next();
            Token open = in.next();
            List<Expr> args = listUntil(')', "in the arguments of '" + name.text() + "'");
            if (in.accept('=')) {
                Token close = in.previous(2);
                String suffix = in.text(open, close).replaceAll("\\s+", "");
                return new Field(name.text() + suffix, expression());
            }
            return continueOr(new CallExpr(name.text(), args));
        }
        return new Field(null, expression());
    }

    /** A positional member that began with a call: it may still continue as a bit-or. */
    private Field continueOr(Expr first) {
        if (!in.peek().is('|')) {
            return new Field(null, first);
        }
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        while (in.accept('|')) {
            operands.add(primary());
        }
        return new Field(null, new BinaryOrExpr(operands));
    }
}
