package org.lianyao.terminology.id;

/**
 * The GS1 (EAN/UPC) mod-10 check digit, shared by GTIN-8/12/13/14 and the 药品本位码 (GB 18937).
 * Weights 3 and 1 alternate from the rightmost data digit (which gets 3); the check digit brings
 * the weighted sum up to a multiple of 10.
 */
public final class Gs1 {

  private Gs1() {}

  /**
   * Check digit for {@code data} (the digits without the check digit).
   *
   * @throws IllegalArgumentException if {@code data} is empty or not all digits
   */
  public static int checkDigit(String data) {
    if (data == null || data.isEmpty() || !isDigits(data)) {
      throw new IllegalArgumentException("expected digits");
    }
    int sum = 0;
    for (int i = data.length() - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
      sum += (data.charAt(i) - '0') * weight;
    }
    return (10 - sum % 10) % 10;
  }

  /** Whether the last digit of {@code digits} is the correct check digit of the others. */
  public static boolean hasValidCheckDigit(String digits) {
    if (digits == null || digits.length() < 2 || !isDigits(digits)) {
      return false;
    }
    return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
  }

  static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }
}
