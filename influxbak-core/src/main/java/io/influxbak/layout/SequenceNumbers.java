package io.influxbak.layout;

import java.util.OptionalLong;

/**
 * InfluxDB's sequence numbers are unsigned 64-bit integers; snapshot and snapshot-checkpoint file
 * names hold {@code 2^64-1 - n} so that the newest lists first. In Java's two's complement, {@code
 * 2^64-1 - n} is simply {@code ~n}.
 */
public final class SequenceNumbers {
  private SequenceNumbers() {}

  /**
   * The decimal digits of an unsigned 64-bit number with exactly {@code width} digits, or empty.
   */
  public static OptionalLong parseFixedWidth(String digits, int width) {
    if (digits.length() != width || !asciiDigits(digits, 0, width)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // 20 digits above 2^64-1
    }
  }

  /**
   * Whether {@code text} from {@code from} (inclusive) to {@code to} (exclusive) is ASCII digits
   * only ({@link Character#isDigit} would take other scripts' digits too); true when empty.
   */
  static boolean asciiDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The sequence an inverted name encodes ({@code 2^64-1 - name}). */
  public static long uninvert(long inverted) {
    return ~inverted;
  }

  /** The file-name stem of a snapshot with sequence {@code n}: 20 digits of {@code 2^64-1 - n}. */
  public static String invertedName(long sequence) {
    return String.format("%20s", Long.toUnsignedString(~sequence)).replace(' ', '0');
  }

  /** Zero-padded unsigned decimal. */
  public static String padded(long sequence, int width) {
    String digits = Long.toUnsignedString(sequence);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
