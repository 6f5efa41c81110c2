package io.influxbak.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A lazy, closeable listing. Adapters fetch one page at a time and never expose markers or tokens.
 * Not thread-safe: one consumer at a time.
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

  /** Turns one listed item of an SDK into what a listing returns. */
  @FunctionalInterface
  interface ItemReader<T> {
    /** The object {@code item} describes; an invalid key fails with {@link InvalidKeyException}. */
    ObjectInfo read(T item) throws IOException;
  }

  /**
   * An iterator over an SDK's pages, fetched one at a time as the consumer advances: what adapters
   * return from {@link ObjectStore#list}.
   *
   * @param pages the SDK's pages (fetching the next one may fail with the SDK's runtime exception)
   * @param reader what one item is
   * @param failure the typed error for an SDK failure while fetching a page
   */
  static <T> ObjectIterator ofPages(
      Iterator<? extends Iterable<T>> pages,
      ItemReader<T> reader,
      Function<RuntimeException, IOException> failure) {
    return new ObjectIterator() {
      private Iterator<T> page = Collections.emptyIterator();

      @Override
      public boolean hasNext() throws IOException {
        try {
          while (!page.hasNext() && pages.hasNext()) {
            page = pages.next().iterator();
          }
          return page.hasNext();
        } catch (RuntimeException e) {
          throw failure.apply(e);
        }
      }

      @Override
      public ObjectInfo next() throws IOException {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return reader.read(page.next());
      }

      @Override
      public void close() {}
    };
  }
}
