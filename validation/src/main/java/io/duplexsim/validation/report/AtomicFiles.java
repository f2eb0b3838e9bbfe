package io.duplexsim.validation.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file under a temporary name in the same folder and moves it into place when complete, so a
 * reader never sees a half-written file under the final name; a failed write leaves whatever was there
 * before (or nothing) and no temporary file.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes text to the stream. */
  @FunctionalInterface
  public interface TextBody {
    void write(Writer out) throws IOException;
  }

  /** Writes bytes to the stream. */
  @FunctionalInterface
  public interface ByteBody {
    void write(OutputStream out) throws IOException;
  }

  public static void writeString(Path file, String text) {
    write(file, (Writer w) -> w.write(text));
  }

  public static void write(Path file, TextBody body) {
    writeBytes(file, out -> {
      Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
      body.write(w);
      w.flush();
    });
  }

  public static void writeBytes(Path file, ByteBody body) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // A name of its own per write (not createTempFile, whose owner-only permissions would stick).
      tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + "-"
          + Thread.currentThread().getId() + ".tmp");
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE))) {
        body.write(out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; that is what the caller hears about
        }
      }
    }
  }
}
