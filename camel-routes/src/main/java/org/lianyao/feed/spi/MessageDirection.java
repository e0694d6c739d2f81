package org.lianyao.feed.spi;

/** Whether a stored message came from a member system or goes to one. */
public enum MessageDirection {
  IN,
  OUT
}
