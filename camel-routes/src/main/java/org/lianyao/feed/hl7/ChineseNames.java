package org.lianyao.feed.hl7;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;

/**
 * Person names from XPN / XCN into FHIR HumanName.
 *
 * <p>Chinese HIS usually send the whole name in the family-name component (XPN-1, XCN-2) and leave
 * the given name empty. The name as sent always goes to {@code HumanName.text} unchanged; family
 * and given are split only for Han names of two to four characters: after a compound surname (复姓,
 * listed in {@code compound-surnames.txt}) for names of three or more characters, otherwise after
 * the first character. Names with a middle dot (minority names such as 阿依古丽·买买提) and
 * longer names are not split. Characters are counted as code points, so names with characters
 * outside the BMP (GB18030 supplementary characters) are not cut in half.
 */
final class ChineseNames {

  private static final String SURNAMES = "compound-surnames.txt";
  private static final Set<String> COMPOUND_SURNAMES = loadSurnames();

  private ChineseNames() {}

  /**
   * @param family family-name component as sent (may hold the whole name)
   * @param given given-name component as sent
   * @return the name, or null when both are empty
   */
  static HumanName toHumanName(String family, String given) {
    if (family == null && given == null) {
      return null;
    }
    HumanName name = new HumanName().setUse(NameUse.OFFICIAL);
    if (family != null && given != null) {
      boolean han = isHan(family) && isHan(given);
      name.setText(han ? family + given : family + " " + given);
      name.setFamily(family);
      name.addGiven(given);
      return name;
    }
    String whole = family != null ? family : given;
    name.setText(whole);
    int length = whole.codePointCount(0, whole.length());
    if (isHan(whole) && length >= 2 && length <= 4) {
      int surnameLength = length >= 3 && COMPOUND_SURNAMES.contains(prefix(whole, 2)) ? 2 : 1;
      String surname = prefix(whole, surnameLength);
      name.setFamily(surname);
      name.addGiven(whole.substring(surname.length()));
    } else if (family != null && !isHan(whole) && whole.indexOf(' ') < 0 && !hasMiddleDot(whole)) {
      // A single non-Han token in the family component (e.g. pinyin surname only) is what HL7 says it is.
      name.setFamily(whole);
    }
    return name;
  }

  static boolean isHan(String value) {
    if (value.isEmpty()) {
      return false;
    }
    return value.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
  }

  private static boolean hasMiddleDot(String value) {
    return value.indexOf('·') >= 0 || value.indexOf('•') >= 0 || value.indexOf('・') >= 0 || value.indexOf('.') >= 0;
  }

  private static String prefix(String value, int codePoints) {
    return value.substring(0, value.offsetByCodePoints(0, codePoints));
  }

  private static Set<String> loadSurnames() {
    Set<String> surnames = new HashSet<>();
    InputStream in = ChineseNames.class.getResourceAsStream(SURNAMES);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + SURNAMES);
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          surnames.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SURNAMES, e);
    }
    return Set.copyOf(surnames);
  }
}
