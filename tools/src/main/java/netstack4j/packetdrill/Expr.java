package netstack4j.packetdrill;

import java.util.List;
import java.util.Objects;

/**
 * A C-like expression in a system call's arguments or result: integers, {@code ...}, symbolic
 * constants, bit-or, strings, arrays, structs and function-like calls ({@code htons(8080)}).
 */
public sealed interface Expr {
    /** {@code ...}: anything (an argument the script does not care about). */
    EllipsisExpr ELLIPSIS = new EllipsisExpr();

    /** An integer; {@code hex} records whether it was written {@code 0x...}. */
    record IntExpr(long value, boolean hex) implements Expr {
        /** A decimal integer. */
        public IntExpr(long value) {
            this(value, false);
        }
    }

    /** {@code ...}. */
    record EllipsisExpr() implements Expr {
    }

    /** A symbolic name such as {@code AF_INET} or {@code SO_REUSEADDR}. */
    record SymbolExpr(String name) implements Expr {
        public SymbolExpr {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code A|B|C}: two or more operands, in order. */
    record BinaryOrExpr(List<Expr> operands) implements Expr {
        public BinaryOrExpr {
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("bit-or needs two operands");
            }
        }
    }

    /**
     * A string literal, its text as written between the quotes (escapes not interpreted;
     * adjacent literals concatenated). {@code ellipsis} marks {@code "abc"...}: a prefix.
     */
    record StringExpr(String value, boolean ellipsis) implements Expr {
        public StringExpr {
            Objects.requireNonNull(value, "value");
        }

        /** A complete string. */
        public StringExpr(String value) {
            this(value, false);
        }
    }

    /** {@code [a, b]}. */
    record ArrayExpr(List<Expr> elements) implements Expr {
        public ArrayExpr {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {name=value, ...}}, possibly with positional members ({@code {..., 1000}}). */
    record StructExpr(List<Field> fields) implements Expr {
        public StructExpr {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A struct member. The name keeps a {@code (n)} suffix as written without spaces
     * ({@code msg_iov(1)}, {@code msg_name(...)}); it is null for a positional member.
     */
    record Field(String name, Expr value) {
        public Field {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
    record CallExpr(String function, List<Expr> args) implements Expr {
        public CallExpr {
            Objects.requireNonNull(function, "function");
            args = List.copyOf(args);
        }
    }
}
