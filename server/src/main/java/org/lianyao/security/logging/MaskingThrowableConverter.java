package org.lianyao.security.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Spring Boot's {@code %wEx} stack traces with {@link LogMasker} applied: exception messages carry
 * request data (a token in a parse error, an identifier in a constraint violation).
 */
public class MaskingThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {

  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return LogMasker.mask(super.throwableProxyToString(tp));
  }
}
