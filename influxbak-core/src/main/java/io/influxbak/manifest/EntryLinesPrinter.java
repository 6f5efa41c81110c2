package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;

/**
 * Prints a manifest's {@code objects} array one compact entry to a line. The manifest's other
 * fields are indented for reading; its entries, a million of them in a large backup, are not:
 * indented, each took seven lines and a fifth more bytes to write, store and read, and one line an
 * object is what {@code grep} wants anyway. Put in place between the array's field name and the
 * array, and the default printer put back after it: this printer keeps no state of its own.
 */
final class EntryLinesPrinter extends MinimalPrettyPrinter {
  private static final long serialVersionUID = 1L;

  /** What separates one entry from the next: a comma, then the next line, indented. */
  static final String BETWEEN_ENTRIES = ",\n    ";

  /** One printer serves every manifest: it keeps no state. */
  static final EntryLinesPrinter INSTANCE = new EntryLinesPrinter();

  private EntryLinesPrinter() {}

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator json) throws IOException {
    // The separator after "objects", written when the array starts; inside entries, none.
    json.writeRaw(json.getOutputContext().getParent().inRoot() ? " : " : ":");
  }

  @Override
  public void beforeArrayValues(JsonGenerator json) throws IOException {
    json.writeRaw("\n    ");
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator json) throws IOException {
    json.writeRaw(BETWEEN_ENTRIES);
  }

  @Override
  public void writeEndArray(JsonGenerator json, int values) throws IOException {
    json.writeRaw(values == 0 ? "]" : "\n  ]");
  }
}
