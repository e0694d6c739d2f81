package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lianyao.terminology.id.InvalidIdentifierException;
import org.lianyao.terminology.id.TraceabilityCode;
import org.lianyao.terminology.id.TraceabilityCodeValidator;

/**
 * ZTC — 药品追溯码 (drug traceability code), a Lianyao Z-segment of RDS^O13. One ZTC per scanned
 * code, placed after the RXD (and its RXR/RXC/NTE) of the ORDER group whose dispense it belongs to.
 *
 * <pre>
 * SEQ  NAME                         DT  OPT  RP  NOTES
 * 1    Set ID - ZTC                 SI  R        1, 2, 3 … within the ORDER group
 * 2    Traceability Code            ST  R        20-digit national code, or a GS1 element string
 *                                                 ((01)…(21)…; raw with FNC1 as \X1D\ or GS)
 * 3    Packaging Level              IS  O        1 = 小码 (sale unit), 2 = 中码, 3 = 大码;
 *                                                 S/M/L, 小/中/大 and 小码/中码/大码 also accepted
 * 4    Split-pack Flag              ID  O        Y = 拆零 (this pack is sold in parts), N = whole pack
 * </pre>
 *
 * HAPI parses ZTC as a {@link ca.uhn.hl7v2.model.GenericSegment} inside the group where it appears
 * (unexpected-segment behaviour ADD_INLINE); {@link #collect} finds it anywhere inside an ORDER group.
 */
final class ZtcSegment {

  static final String NAME = "ZTC";

  /**
   * One scanned code.
   *
   * @param segment the ZTC segment (for error locations)
   * @param code the parsed code; {@link TraceabilityCode#identifierValue()} is what is stored
   * @param packagingLevel 小码 / 中码 / 大码, or null
   * @param splitPack ZTC-4, or null when not sent
   */
  record Scan(Segment segment, TraceabilityCode code, String packagingLevel, Boolean splitPack) {}

  private ZtcSegment() {}

  /** ZTC segments in {@code group} and its subgroups, in message order. */
  static List<Segment> collect(Group group) throws HL7Exception {
    List<Segment> found = new ArrayList<>();
    collect(group, found);
    return found;
  }

  private static void collect(Group group, List<Segment> found) throws HL7Exception {
    for (String name : group.getNames()) {
      for (Structure structure : group.getAll(name)) {
        if (structure instanceof Group child) {
          collect(child, found);
        } else if (structure instanceof Segment segment && NAME.equals(segment.getName()) && !segment.isEmpty()) {
          found.add(segment);
        }
      }
    }
  }

  /** ZTC segments that are not inside any of the given ORDER groups (misplaced: before the first ORDER). */
  static List<Segment> outside(Message message, List<? extends Group> orders) throws HL7Exception {
    List<Segment> all = collect(message);
    for (Group order : orders) {
      all.removeAll(collect(order));
    }
    return all;
  }

  static Scan read(Segment ztc, ConversionContext ctx) throws HL7Exception {
    String raw = fullText(ztc, 2);
    if (raw == null) {
      throw Hl7ConversionException.missing(Locations.field(ztc, 2), "药品追溯码", "traceability code");
    }
    TraceabilityCode code;
    try {
      code = TraceabilityCodeValidator.parse(raw);
    } catch (InvalidIdentifierException e) {
      throw Hl7ConversionException.of(ErrorCode.DATA_TYPE_ERROR, Locations.field(ztc, 2),
          "药品追溯码“" + raw + "”无效：" + e.problem().chinese() + "，请重新扫码",
          "traceability code '" + raw + "' is invalid: " + e.problem().english());
    }
    String levelValue = V2.clean(Terser.get(ztc, 3, 0, 1, 1));
    String level = null;
    if (levelValue != null) {
      level = packagingLevel(levelValue);
      if (level == null) {
        ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.field(ztc, 3),
            "追溯码包装层级“" + levelValue + "”无法识别（应为 1 小码、2 中码、3 大码）",
            "packaging level '" + levelValue + "' is not recognised (1, 2 or 3)");
      }
    }
    String splitValue = V2.clean(Terser.get(ztc, 4, 0, 1, 1));
    Boolean split = null;
    if (splitValue != null) {
      split = switch (splitValue.toUpperCase(Locale.ROOT)) {
        case "Y", "1", "是", "TRUE" -> Boolean.TRUE;
        case "N", "0", "否", "FALSE" -> Boolean.FALSE;
        default -> throw Hl7ConversionException.tableValue(Locations.field(ztc, 4), splitValue,
            "拆零标志（Y/N）", "split-pack flag (Y/N)");
      };
    }
    return new Scan(ztc, code, level, split);
  }

  /** 小码/中码/大码 for the accepted spellings, null otherwise. */
  static String packagingLevel(String value) {
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "1", "S", "小", "小码", "SMALL" -> "小码";
      case "2", "M", "中", "中码", "MEDIUM", "MIDDLE" -> "中码";
      case "3", "L", "大", "大码", "LARGE" -> "大码";
      default -> null;
    };
  }

  /**
   * The whole field as the sender meant it. A GS1 serial may contain {@code &} (the subcomponent
   * separator) when the sender forgot to escape it, which HAPI would split into subcomponents:
   * re-encoding the field and unescaping gives the original characters back.
   */
  private static String fullText(Segment segment, int field) throws HL7Exception {
    Type[] repetitions = segment.getField(field);
    if (repetitions.length == 0) {
      return null;
    }
    Message message = segment.getMessage();
    EncodingCharacters encoding = EncodingCharacters.getInstance(message);
    String encoded = PipeParser.encode(repetitions[0], encoding);
    String text = message.getParser().getParserConfiguration().getEscaping().unescape(encoded, encoding);
    return V2.clean(hexEscapes(text, encoding.getEscapeCharacter()));
  }

  /**
   * HL7 hexadecimal escapes ({@code \X1D\}, how a GS1 FNC1 / group separator travels in a field),
   * which HAPI leaves as they are. Only ASCII bytes are decoded; anything else stays literal.
   */
  static String hexEscapes(String text, char escape) {
    int start = text.indexOf(escape + "X");
    if (start < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (start >= 0) {
      int end = text.indexOf(escape, start + 2);
      String hex = end < 0 ? "" : text.substring(start + 2, end);
      if (end < 0 || hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)
          || !asciiOnly(hex)) {
        out.append(text, i, start + 2);
        i = start + 2;
      } else {
        out.append(text, i, start);
        for (int k = 0; k < hex.length(); k += 2) {
          out.append((char) Integer.parseInt(hex.substring(k, k + 2), 16));
        }
        i = end + 1;
      }
      start = text.indexOf(escape + "X", i);
    }
    out.append(text, i, text.length());
    return out.toString();
  }

  private static boolean asciiOnly(String hex) {
    for (int k = 0; k + 1 < hex.length(); k += 2) {
      if (Integer.parseInt(hex.substring(k, k + 2), 16) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
