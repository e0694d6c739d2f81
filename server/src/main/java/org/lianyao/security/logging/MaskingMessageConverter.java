package org.lianyao.security.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback {@code %m}/{@code %msg}/{@code %message} with {@link LogMasker} applied; registered in
 * {@code logback-spring.xml} so that every appender's pattern uses it.
 */
public class MaskingMessageConverter extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return LogMasker.mask(super.convert(event));
  }
}
