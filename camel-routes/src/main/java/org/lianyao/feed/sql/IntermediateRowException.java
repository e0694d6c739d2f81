package org.lianyao.feed.sql;

import java.util.Objects;

/**
 * An intermediate-table prescription that cannot be converted: which prescription, which column,
 * what is wrong — in Chinese for the HIS vendor's staff, in English for logs.
 */
public class IntermediateRowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String chineseMessage;

  public IntermediateRowException(String chineseMessage, String englishMessage, Throwable cause) {
    super(englishMessage, cause);
    this.chineseMessage = Objects.requireNonNull(chineseMessage, "chineseMessage");
  }

  public String chineseMessage() {
    return chineseMessage;
  }
}
