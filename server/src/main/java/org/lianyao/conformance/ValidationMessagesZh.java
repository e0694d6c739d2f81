package org.lianyao.conformance;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Chinese wording for validator messages. The official validator speaks English; member HIS
 * engineers and pharmacists read Chinese first, so each issue gets a Chinese text (chosen by the
 * validator's message id, table in {@code validation-messages-zh.properties}) while the English
 * original stays in the diagnostics. Lianyao's own identifier checks already say
 * {@code 中文 / English} and are split.
 */
final class ValidationMessagesZh {

  private static final Pattern ELEMENT_PREFIX = Pattern.compile("^([A-Z][A-Za-z]+(?:\\.[A-Za-z\\[\\]0-9]+)+): ");

  private final Map<Pattern, String> templates = new LinkedHashMap<>();
  private final String fallback;

  ValidationMessagesZh() {
    Properties props = new Properties();
    try (InputStream in = getClass().getResourceAsStream("validation-messages-zh.properties")) {
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> keys = new ArrayList<>(props.stringPropertyNames());
    keys.sort(null);
    fallback = props.getProperty("default");
    for (String key : keys) {
      if (key.startsWith("id.")) {
        // key "id.<nn>.<regex>": ordered by number, matched against the message id.
        String regex = key.substring(key.indexOf('.', 3) + 1);
        templates.put(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), props.getProperty(key));
      }
    }
  }

  /** [chinese, english] for one validator message. */
  String[] texts(SingleValidationMessage message) {
    String original = message.getMessage() == null ? "" : message.getMessage();
    int slash = original.indexOf(" / ");
    if (slash > 0 && original.substring(0, slash).codePoints().anyMatch(c -> c > 0x2E80)) {
      return new String[] {original.substring(0, slash), original.substring(slash + 3)};
    }
    String id = message.getMessageId() == null ? "" : message.getMessageId();
    String location = message.getLocationString() == null ? "" : message.getLocationString();
    // "MedicationRequest.subject: minimum required = 1 …" names the element more precisely than
    // the location (which is its parent).
    java.util.regex.Matcher element = ELEMENT_PREFIX.matcher(original);
    if (element.find()) {
      location = element.group(1);
    }
    for (Map.Entry<Pattern, String> t : templates.entrySet()) {
      if (t.getKey().matcher(id).find()) {
        return new String[] {t.getValue().replace("{location}", location), original};
      }
    }
    return new String[] {fallback.replace("{location}", location), original};
  }
}
