package netstack4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One-line descriptions of file errors, worded as the C library's {@code strerror} words them,
 * for messages like {@code mkdir}'s ({@code cannot create directory 'x': File exists}). Java's
 * file exceptions often carry only the path as their message; this says what went wrong.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** What went wrong, without the path: {@code No such file or directory}, {@code Permission denied}, … */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case FileAlreadyExistsException x -> "File exists";
            case NotDirectoryException x -> "Not a directory";
            case DirectoryNotEmptyException x -> "Directory not empty";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            case CharacterCodingException x -> "not UTF-8 text";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }

    /** An unchecked error reading {@code "<what> '<path>': <reason>"}. */
    static UncheckedIOException failure(String what, Path path, IOException e) {
        return new UncheckedIOException(what + " '" + path + "': " + reason(e), e);
    }
}
