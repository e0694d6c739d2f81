package org.lianyao.feed.spi;

import java.util.Locale;

/**
 * Life cycle of a stored message.
 *
 * <ul>
 *   <li>inbound: {@link #RECEIVED} (stored, not yet processed) → {@link #PROCESSED} or {@link #FAILED};
 *       a failed message replayed successfully becomes {@link #REPLAYED};</li>
 *   <li>outbound: {@link #PENDING} (queued, in order per channel) → {@link #SENT} when the receiver
 *       answered AA/CA, or {@link #FAILED} when it refused the message (AE/AR).</li>
 * </ul>
 */
public enum MessageStatus {
  RECEIVED("已接收"),
  PROCESSED("已处理"),
  FAILED("失败"),
  REPLAYED("已重放"),
  PENDING("待发送"),
  SENT("已发送");

  private final String chinese;

  MessageStatus(String chinese) {
    this.chinese = chinese;
  }

  public String chinese() {
    return chinese;
  }

  /** True when the message's outcome is final and successful: a resend is only acknowledged again. */
  public boolean isDone() {
    return this == PROCESSED || this == REPLAYED || this == SENT;
  }

  public static MessageStatus parse(String value) {
    return valueOf(value.strip().toUpperCase(Locale.ROOT));
  }
}
