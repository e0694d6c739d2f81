package org.lianyao.feed.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.HumanName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChineseNamesTest {

  @ParameterizedTest
  @CsvSource({
      "张伟, 张, 伟",
      "张建国, 张, 建国",
      "欧阳秀英, 欧阳, 秀英",
      "司马光, 司马, 光",
      "欧阳, 欧, 阳", // two characters: a compound surname alone is not a whole name
      "李珅, 李, 珅",
  })
  void wholeHanNamesAreSplitIntoFamilyAndGiven(String whole, String family, String given) {
    HumanName name = ChineseNames.toHumanName(whole, null);
    assertThat(name.getText()).isEqualTo(whole);
    assertThat(name.getFamily()).isEqualTo(family);
    assertThat(name.getGivenAsSingleString()).isEqualTo(given);
  }

  @Test
  void minorityAndLongNamesKeepOnlyTheText() {
    HumanName minority = ChineseNames.toHumanName("阿依古丽·买买提", null);
    assertThat(minority.getText()).isEqualTo("阿依古丽·买买提");
    assertThat(minority.hasFamily()).isFalse();
    assertThat(minority.hasGiven()).isFalse();
    assertThat(ChineseNames.toHumanName("爱新觉罗溥仪", null).hasFamily()).isFalse();
  }

  @Test
  void supplementaryCharactersAreNotCutInHalf() {
    String name = "王\uD840\uDC0C"; // 王 + U+2000C, outside the BMP (a GB18030 four-byte character)
    HumanName human = ChineseNames.toHumanName(name, null);
    assertThat(human.getFamily()).isEqualTo("王");
    assertThat(human.getGivenAsSingleString()).isEqualTo("\uD840\uDC0C");
  }

  @Test
  void separateComponentsAreKeptAsSent() {
    HumanName han = ChineseNames.toHumanName("欧阳", "修");
    assertThat(han.getText()).isEqualTo("欧阳修");
    assertThat(han.getFamily()).isEqualTo("欧阳");
    HumanName pinyin = ChineseNames.toHumanName("ZHANG", "WEI");
    assertThat(pinyin.getText()).isEqualTo("ZHANG WEI");
    assertThat(ChineseNames.toHumanName(null, null)).isNull();
  }
}
