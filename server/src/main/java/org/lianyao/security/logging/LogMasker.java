package org.lianyao.security.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must never reach a log in clear: resident ID numbers (居民身份证号, GB 11643: 17 digits
 * and a check character, kept as {@code 500112***********7}), bearer tokens and anything that looks
 * like a JWT, client secrets and assertions in form bodies, Basic credentials, and the values of
 * name-like search parameters and of names in serialized FHIR resources. A safety net: code should
 * not log PHI in the first place.
 */
public final class LogMasker {

  /** 18 characters standing alone (not part of a longer number, e.g. a 20-digit trace code). */
  private static final Pattern RESIDENT_ID = Pattern.compile("(?<![0-9])([1-9][0-9]{5})[0-9]{11}([0-9Xx])(?![0-9])");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{16,}");
  private static final Pattern BASIC = Pattern.compile("(?i)(basic\\s+)[A-Za-z0-9+/=]{8,}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern SECRET_PARAMS = Pattern.compile(
      "(?i)((?:client_secret|client_assertion|access_token|refresh_token|id_token|password|signing[-_]?key)[\"']?\\s*[=:]\\s*[\"']?)[^&\\s\"',}]+");
  /** Person-name search parameters in URLs: {@code name=张伟}, {@code family:exact=…}. */
  private static final Pattern NAME_PARAMS = Pattern.compile(
      "(?i)((?:^|[?&\\s])(?:name|family|given|phonetic)(?::[a-z]+)?=)[^&\\s]+");
  /** Name parts in serialized FHIR JSON / XML. */
  private static final Pattern JSON_NAMES = Pattern.compile(
      "(\"(?:family|given|text)\"\\s*:\\s*)(\\[[^\\]]*\\]|\"(?:[^\"\\\\]|\\\\.)*\")");
  private static final Pattern XML_NAMES = Pattern.compile("(<(?:family|given|text) value=\")[^\"]*(\")");

  private LogMasker() {}

  public static String mask(String message) {
    if (message == null || message.isEmpty()) {
      return message;
    }
    String s = message;
    s = replaceIfContains(s, "earer", BEARER, "$1***");
    if (s.indexOf("eyJ") >= 0) {
      s = JWT.matcher(s).replaceAll("eyJ***");
    }
    s = replaceIfContains(s, "asic", BASIC, "$1***");
    s = SECRET_PARAMS.matcher(s).replaceAll("$1***");
    s = NAME_PARAMS.matcher(s).replaceAll("$1***");
    if (s.indexOf("resourceType") >= 0 || s.indexOf("<family") >= 0 || s.indexOf("<given") >= 0) {
      s = JSON_NAMES.matcher(s).replaceAll("$1\"***\"");
      s = XML_NAMES.matcher(s).replaceAll("$1***$2");
    }
    Matcher m = RESIDENT_ID.matcher(s);
    if (m.find()) {
      s = m.replaceAll("$1***********$2");
    }
    return s;
  }

  private static String replaceIfContains(String s, String hint, Pattern p, String replacement) {
    return s.indexOf(hint) >= 0 || s.indexOf(hint.toUpperCase(java.util.Locale.ROOT)) >= 0
        ? p.matcher(s).replaceAll(replacement) : s;
  }
}
