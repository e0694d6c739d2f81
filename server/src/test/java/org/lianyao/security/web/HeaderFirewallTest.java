package org.lianyao.security.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loop gives the same verdict as Spring's default header rule (a regular expression). */
class HeaderFirewallTest {

  private static final Pattern SPRING_DEFAULT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

  @Test
  void agreesWithSpringsRegularExpression() {
    List<String> values = new ArrayList<>(List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJIIn0.sig-_+/=",
        "application/fhir+json; charset=utf-8", "示例区人民医院", "tab\there", "nul\u0000", "del\u007f", "c1\u0085",
        "unassigned\u0378", "emoji \uD83D\uDC8A", "lone surrogate \uD83D", "private use \uE000", "nbsp\u00a0"));
    Random random = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0, len = random.nextInt(6); i < len; i++) {
        int cp = switch (random.nextInt(4)) {
          case 0 -> random.nextInt(0x100);
          case 1 -> random.nextInt(0x3000);
          case 2 -> random.nextInt(0x10000);
          default -> random.nextInt(0x110000);
        };
        sb.appendCodePoint(cp);
      }
      values.add(sb.toString());
    }
    for (String value : values) {
      assertThat(HeaderFirewall.ASSIGNED_AND_NOT_CONTROL.test(value)).as("%s", value.codePoints().boxed().toList())
          .isEqualTo(SPRING_DEFAULT.matcher(value).matches());
    }
  }

  @Test
  void rejectsControlCharactersInTheStrictFirewall() {
    assertThat(HeaderFirewall.ASSIGNED_AND_NOT_CONTROL.test("Bearer abc\r\nX-Injected: 1")).isFalse();
    assertThat(HeaderFirewall.ASSIGNED_AND_NOT_CONTROL.test("Bearer abc")).isTrue();
  }
}
