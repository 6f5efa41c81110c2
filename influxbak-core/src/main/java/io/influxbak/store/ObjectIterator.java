package io.influxbak.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * A lazy, closeable listing. Adapters fetch one page at a time and never expose markers or tokens. Not
 * thread-safe: one consumer at a time.
 */
public interface ObjectIterator extends Closeable {
  /** Whether another object follows; may fetch the next page. */
  boolean hasNext() throws IOException;

  /**
   * The next object.
   *
   * @throws NoSuchElementException if there is none
   */
  ObjectInfo next() throws IOException;

  /** Releases the listing's resources; safe to call twice. */
  @Override
  void close();

  /** An iterator over nothing. */
  static ObjectIterator empty() {
    return new ObjectIterator() {
      @Override
      public boolean hasNext() {
        return false;
      }

      @Override
      public ObjectInfo next() {
        throw new NoSuchElementException();
      }

      @Override
      public void close() {}
    };
  }

  /** An iterator over objects already in memory. */
  static ObjectIterator of(Iterable<ObjectInfo> objects) {
    java.util.Iterator<ObjectInfo> iterator = objects.iterator();
    return new ObjectIterator() {
      @Override
      public boolean hasNext() {
        return iterator.hasNext();
      }

      @Override
      public ObjectInfo next() {
        return iterator.next();
      }

      @Override
      public void close() {}
    };
  }
}
