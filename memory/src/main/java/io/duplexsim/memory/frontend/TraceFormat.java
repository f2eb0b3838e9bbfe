package io.duplexsim.memory.frontend;

import io.duplexsim.sim.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request-trace file formats, by the name the command line uses ({@code --trace-format}).
 *
 * <ul>
 *   <li>{@code ramulator}: Ramulator 2 LoadStore traces, one request a line: {@code LD 0x1a2b} or
 *       {@code ST 0x1a2b} ({@code R}/{@code W} accepted too). Requests carry no issue cycle.
 *   <li>{@code dramsim3}: DRAMsim3 traces, {@code 0x1a2b READ 120}: address, operation
 *       ({@code READ}/{@code WRITE}, {@code P_MEM_RD}/{@code P_MEM_WR}, {@code RD}/{@code WR}) and
 *       issue cycle (command-clock cycles, non-decreasing).
 * </ul>
 *
 * <p>In both, addresses are byte addresses, hexadecimal with a {@code 0x} prefix or decimal;
 * operations are case-insensitive; blank lines and lines starting with {@code #} are skipped.
 * Fields are separated by spaces, tabs or commas. Bad input raises an {@link InputException}
 * naming the file, line and field. Parsing is by hand over bytes (no regex, no per-line strings):
 * a million lines take a fraction of a second.
 */
public enum TraceFormat {
  RAMULATOR("ramulator", "Ramulator 2 LoadStore: 'LD 0x1a2b' / 'ST 0x1a2b'") {
    @Override
    void parseLine(LineParser p, RequestTrace trace) {
      int opStart = p.skipSpace();
      int opEnd = p.tokenEnd();
      RequestType type;
      if (p.tokenIs(opStart, opEnd, "LD") || p.tokenIs(opStart, opEnd, "R") || p.tokenIs(opStart, opEnd, "READ")) {
        type = RequestType.READ;
      } else if (p.tokenIs(opStart, opEnd, "ST") || p.tokenIs(opStart, opEnd, "W")
          || p.tokenIs(opStart, opEnd, "WRITE")) {
        type = RequestType.WRITE;
      } else {
        throw p.error("operation (field 1) LD or ST", opStart, opEnd);
      }
      long address = p.address(2);
      p.expectEnd(3);
      trace.add(address, type, -1);
    }
  },

  DRAMSIM3("dramsim3", "DRAMsim3: '0x1a2b READ 120' (address, READ/WRITE, issue cycle)") {
    @Override
    void parseLine(LineParser p, RequestTrace trace) {
      long address = p.address(1);
      int opStart = p.skipSpace();
      int opEnd = p.tokenEnd();
      RequestType type;
      if (p.tokenIs(opStart, opEnd, "READ") || p.tokenIs(opStart, opEnd, "P_MEM_RD")
          || p.tokenIs(opStart, opEnd, "RD")) {
        type = RequestType.READ;
      } else if (p.tokenIs(opStart, opEnd, "WRITE") || p.tokenIs(opStart, opEnd, "P_MEM_WR")
          || p.tokenIs(opStart, opEnd, "WR")) {
        type = RequestType.WRITE;
      } else {
        throw p.error("operation (field 2) READ or WRITE (or P_MEM_RD/P_MEM_WR, RD/WR)", opStart, opEnd);
      }
      int cStart = p.skipSpace();
      int cEnd = p.tokenEnd();
      long cycle = p.decimal(cStart, cEnd);
      if (cycle < 0) {
        throw p.error("issue cycle (field 3) as a non-negative decimal integer", cStart, cEnd);
      }
      if (cycle < p.lastCycle) {
        throw p.fail("expected issue cycle (field 3) >= " + p.lastCycle
            + " (the previous request's; cycles must not decrease), got '" + p.text(cStart, cEnd) + "'");
      }
      p.lastCycle = cycle;
      p.expectEnd(4);
      trace.add(address, type, cycle);
    }
  };

  private final String key;
  private final String description;

  TraceFormat(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** The name used on the command line and in config files. */
  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** Parses one non-blank, non-comment line positioned at its start; adds its request. */
  abstract void parseLine(LineParser p, RequestTrace trace);

  /** Names of all formats, in declaration order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (TraceFormat f : values()) {
      names.add(f.key);
    }
    return names;
  }

  /** The format with this name (case-insensitive). */
  public static TraceFormat byName(String name) {
    TraceFormat f = find(name);
    if (f == null) {
      throw new InputException("unknown trace format '" + name + "'; expected one of " + names());
    }
    return f;
  }

  private static TraceFormat find(String name) {
    if (name == null) {
      return null;
    }
    for (TraceFormat f : values()) {
      if (f.key.equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    return null;
  }

  /** A trace file together with its format. */
  public record Spec(TraceFormat format, Path path) {
    public RequestTrace read() {
      return format.read(path);
    }
  }

  /**
   * Parses {@code format:path} (e.g. {@code dramsim3:foo.trace}) or a bare path, which takes
   * {@code defaultFormat}. A prefix that is not a format name is part of the path.
   */
  public static Spec parse(String spec, String defaultFormat) {
    if (spec == null || spec.isBlank()) {
      throw new InputException("expected a trace file, got an empty name");
    }
    int colon = spec.indexOf(':');
    if (colon > 0) {
      TraceFormat f = find(spec.substring(0, colon));
      if (f != null) {
        String rest = spec.substring(colon + 1);
        if (rest.isBlank()) {
          throw new InputException("expected a trace file after '" + spec.substring(0, colon + 1) + "', got nothing");
        }
        return new Spec(f, Path.of(rest));
      }
    }
    return new Spec(byName(defaultFormat), Path.of(spec));
  }

  /** Reads a whole trace file. */
  public RequestTrace read(Path file) {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new InputException("trace file '" + name + "' is a directory");
    }
    RequestTrace trace = new RequestTrace(file.getFileName() == null ? name : file.getFileName().toString());
    try (InputStream in = Files.newInputStream(file)) {
      LineParser p = new LineParser(in, name);
      while (p.nextLine()) {
        int first = p.skipSpace();
        if (first == p.end || p.line[first] == '#') {
          continue;
        }
        parseLine(p, trace);
      }
    } catch (NoSuchFileException e) {
      throw new InputException("trace file '" + name + "' not found");
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read trace file '" + name + "': permission denied");
    } catch (IOException e) {
      throw new InputException("cannot read trace file '" + name + "': " + e.getMessage(), e);
    }
    if (trace.size() == 0) {
      throw new InputException(name + ": trace has no requests (expected lines like "
          + (this == RAMULATOR ? "'LD 0x1a2b'" : "'0x1a2b READ 120'") + ")");
    }
    return trace;
  }

  /**
   * Writes {@code trace} to {@code file} in this format, so that another simulator (Ramulator 2, DRAMsim3)
   * can run the very requests a pattern generated and {@link #read} gives them back. The file appears
   * whole or not at all (written beside it, then moved). InputException when the format cannot hold the
   * trace: other request types than reads and writes, or a DRAMsim3 file for requests without issue
   * cycles (its format requires them; injecting as fast as the controller accepts has none).
   */
  public void write(RequestTrace trace, Path file) {
    for (int i = 0; i < trace.size(); i++) {
      RequestType t = trace.type(i);
      if (t != RequestType.READ && t != RequestType.WRITE) {
        throw new InputException("cannot write request " + (i + 1) + " (" + t.accessCommand() + ") to '" + file
            + "': a " + key + " trace holds only reads and writes");
      }
    }
    if (this == DRAMSIM3 && !trace.timed()) {
      throw new InputException("cannot write '" + file + "' as a dramsim3 trace: its lines need issue cycles, "
          + "and these requests have none (they are injected as fast as the controllers accept them); write "
          + "it as ramulator:" + file);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
        for (int i = 0; i < trace.size(); i++) {
          boolean read = trace.type(i) == RequestType.READ;
          String address = "0x" + Long.toHexString(trace.address(i));
          if (this == RAMULATOR) {
            out.write(read ? "LD " : "ST ");
            out.write(address);
          } else {
            out.write(address);
            out.write(read ? " READ " : " WRITE ");
            out.write(Long.toString(trace.issueCycle(i)));
          }
          out.write('\n');
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the message below is what matters
      }
      throw new InputException("cannot write trace file '" + file + "': " + e.getMessage(), e);
    }
  }

  /** Hand-written line splitter and field parser over a byte buffer. */
  static final class LineParser {
    private static final int MAX_LINE = 1 << 24;
    private final InputStream in;
    private final String file;
    /** Read buffer; the current line is line[pos, end) inside it, parsed in place. */
    byte[] line = new byte[1 << 20];
    private int filled;
    private int next;
    private boolean eof;
    int end;
    int pos;
    long lineNo;
    long lastCycle;

    LineParser(InputStream in, String file) {
      this.in = in;
      this.file = file;
    }

    /** Finds the next line in the buffer (refilling it as needed); false at end of file. */
    boolean nextLine() throws IOException {
      int scanFrom = next;
      while (true) {
        int i = scanFrom;
        byte[] b = line;
        int lim = filled;
        while (i < lim && b[i] != '\n') {
          i++;
        }
        if (i < lim) {
          pos = next;
          end = i;
          next = i + 1;
          lineNo++;
          return true;
        }
        if (eof) {
          if (next == filled) {
            return false;
          }
          pos = next;
          end = filled;
          next = filled;
          lineNo++;
          return true;
        }
        // Incomplete line: move it to the front, grow if it fills the buffer, read more.
        int partial = filled - next;
        if (next > 0) {
          System.arraycopy(line, next, line, 0, partial);
        } else if (partial == line.length) {
          if (line.length >= MAX_LINE) {
            throw new InputException(file + ":" + (lineNo + 1) + ": line longer than " + MAX_LINE
                + " bytes; expected one request per line");
          }
          line = java.util.Arrays.copyOf(line, line.length * 2);
        }
        next = 0;
        filled = partial;
        scanFrom = partial;
        int n = in.read(line, filled, line.length - filled);
        if (n < 0) {
          eof = true;
        } else {
          filled += n;
        }
      }
    }

    private static boolean isSpace(byte b) {
      return b == ' ' || b == '\t' || b == '\r' || b == ',' || b == '\f';
    }

    /** Skips separators; returns the new position (== end if none left). */
    int skipSpace() {
      while (pos < end && isSpace(line[pos])) {
        pos++;
      }
      return pos;
    }

    /** Advances over a token from the current position; returns its end. */
    int tokenEnd() {
      while (pos < end && !isSpace(line[pos])) {
        pos++;
      }
      return pos;
    }

    /** Case-insensitive ASCII comparison of line[from, to) with an upper-case word. */
    boolean tokenIs(int from, int to, String upper) {
      if (to - from != upper.length()) {
        return false;
      }
      for (int i = 0; i < upper.length(); i++) {
        int c = line[from + i];
        if (c >= 'a' && c <= 'z') {
          c -= 'a' - 'A';
        }
        if (c != upper.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** Parses the next field as a byte address, hex with 0x or decimal. */
    long address(int field) {
      int s = skipSpace();
      int e = tokenEnd();
      String what = "address (field " + field + ") as 0x-prefixed hex or a decimal integer, below 2^63";
      if (s == e) {
        throw error(what, s, e);
      }
      long v;
      if (e - s > 2 && line[s] == '0' && (line[s + 1] == 'x' || line[s + 1] == 'X')) {
        v = hex(s + 2, e);
      } else {
        v = decimal(s, e);
      }
      if (v < 0) {
        throw error(what, s, e);
      }
      return v;
    }

    /** Non-negative decimal integer in [from, to), or -1 if malformed or too large. */
    long decimal(int from, int to) {
      if (from == to) {
        return -1;
      }
      long v = 0;
      for (int i = from; i < to; i++) {
        int d = line[i] - '0';
        if (d < 0 || d > 9) {
          return -1;
        }
        if (v > (Long.MAX_VALUE - d) / 10) {
          return -1;
        }
        v = v * 10 + d;
      }
      return v;
    }

    private long hex(int from, int to) {
      long v = 0;
      for (int i = from; i < to; i++) {
        int c = line[i];
        int d;
        if (c >= '0' && c <= '9') {
          d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
          d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
          d = c - 'A' + 10;
        } else {
          return -1;
        }
        if ((v >>> 59) != 0) {
          return -1; // would exceed 63 bits
        }
        v = (v << 4) | d;
      }
      return v;
    }

    void expectEnd(int field) {
      int s = skipSpace();
      if (s < end && line[s] != '#') {
        int e = tokenEnd();
        throw fail("expected end of line after field " + (field - 1) + ", got extra field '" + text(s, e) + "'");
      }
    }

    String text(int from, int to) {
      int len = Math.min(to - from, 60);
      String t = new String(line, from, len, StandardCharsets.UTF_8);
      return to - from > len ? t + "..." : t;
    }

    InputException error(String expected, int from, int to) {
      if (from == to) {
        return fail("expected " + expected + ", got end of line");
      }
      return fail("expected " + expected + ", got '" + text(from, to) + "'");
    }

    InputException fail(String message) {
      return new InputException(file + ":" + lineNo + ": " + message);
    }
  }

  @Override
  public String toString() {
    return key.toLowerCase(Locale.ROOT);
  }
}
