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
    if (digits.length() != width) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // 20 digits above 2^64-1
    }
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
