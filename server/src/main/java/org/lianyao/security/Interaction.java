package org.lianyao.security;

/** The SMART v2 interaction letters, in their canonical order {@code cruds}. */
public enum Interaction {
  CREATE('c', "创建"),
  READ('r', "读取"),
  UPDATE('u', "修改"),
  DELETE('d', "删除"),
  SEARCH('s', "查询");

  private final char letter;
  private final String chinese;

  Interaction(char letter, String chinese) {
    this.letter = letter;
    this.chinese = chinese;
  }

  public char letter() {
    return letter;
  }

  public String chinese() {
    return chinese;
  }

  public String english() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Interaction fromLetter(char c) {
    for (Interaction i : values()) {
      if (i.letter == c) {
        return i;
      }
    }
    throw new IllegalArgumentException("Not a SMART v2 interaction letter: " + c);
  }
}
