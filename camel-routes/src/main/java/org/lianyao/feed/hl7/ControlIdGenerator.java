package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.util.idgenerator.IDGenerator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * MSH-10 message control IDs for Lianyao's own messages (ACKs). HAPI's default generator writes a
 * counter file into the working directory; this one keeps no state outside the JVM, stays within
 * the 20 characters v2.5 allows for MSH-10, and is unique across restarts (clock part) and across
 * gateway nodes (node prefix).
 *
 * <p>Format: node prefix (0–4 characters) + milliseconds since the epoch in base 36 (8 characters
 * until the year 2059) + a per-JVM counter in base 36 (4 characters, wraps after 1,679,616 IDs,
 * far more than one millisecond can produce).
 */
public final class ControlIdGenerator implements IDGenerator {

  private static final long COUNTER_SPACE = 36L * 36 * 36 * 36;

  private final String node;
  private final LongSupplier clock;
  private final AtomicLong counter = new AtomicLong();

  public ControlIdGenerator(String node) {
    this(node, System::currentTimeMillis);
  }

  ControlIdGenerator(String node, LongSupplier clock) {
    String prefix = node == null ? "" : node.strip().toUpperCase(Locale.ROOT);
    if (prefix.length() > 4 || !prefix.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      throw new IllegalArgumentException("node prefix must be 0-4 letters or digits: " + node);
    }
    this.node = prefix;
    this.clock = clock;
  }

  @Override
  public String getID() {
    String time = Long.toString(clock.getAsLong(), 36).toUpperCase(Locale.ROOT);
    String count = Long.toString(counter.getAndIncrement() % COUNTER_SPACE, 36).toUpperCase(Locale.ROOT);
    return node + time + "0".repeat(4 - count.length()) + count;
  }
}
