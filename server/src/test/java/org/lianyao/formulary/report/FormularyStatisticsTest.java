package org.lianyao.formulary.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.formulary.Fixtures.consortium;
import static org.lianyao.formulary.Fixtures.item;
import static org.lianyao.formulary.Fixtures.product;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.FormularyEntry;

class FormularyStatisticsTest {

  /** The Yubei report's shape: 100 items, 66 VBP, 63 essential medicines, 35 class A. */
  @Test
  void yubeiShape() {
    List<FormularyEntry> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      var b = item("c" + i, "c", product("m" + i, "药" + i, "01", "1mg", "厂" + i));
      if (i < 66) {
        b.vbp(i < 40 ? "第一批" : "第五批");
      }
      if (i >= 37) {
        b.essential(true);
      } else if (i < 10) {
        b.essential(false);
      }
      b.insurance(i < 35 ? "A" : i < 90 ? "B" : null);
      b.groups(i % 2 == 0 ? new String[] {"hypertension"} : new String[] {"diabetes", "hypertension"});
      b.linkage(i < 93);
      items.add(b.build());
    }
    items.add(item("r1", "c", product("x", "调出药", "01", "1mg", "厂")).vbp("第一批").change("remove", "调出").build());

    FormularyStatistics.Result r = FormularyStatistics.compute(consortium("c", "YB-2025"), items, Labels.CODES);

    assertThat(r.total()).isEqualTo(100);
    assertThat(r.removalRecords()).isEqualTo(1);
    assertThat(r.count(FormularyStatistics.VBP, "true")).isEqualTo(66);
    assertThat(r.count(FormularyStatistics.VBP_BATCH, "第一批")).isEqualTo(40);
    assertThat(r.count(FormularyStatistics.VBP_BATCH, "第五批")).isEqualTo(26);
    assertThat(r.count(FormularyStatistics.ESSENTIAL_MEDICINE, "true")).isEqualTo(63);
    assertThat(r.count(FormularyStatistics.INSURANCE_CLASS, "A")).isEqualTo(35);
    assertThat(r.count(FormularyStatistics.INSURANCE_CLASS, "B")).isEqualTo(55);
    assertThat(r.count(FormularyStatistics.INSURANCE_CLASS, FormularyStatistics.NONE)).isEqualTo(10);
    assertThat(r.count(FormularyStatistics.CHRONIC_DISEASE_GROUP, "hypertension")).isEqualTo(100);
    assertThat(r.count(FormularyStatistics.CHRONIC_DISEASE_GROUP, "diabetes")).isEqualTo(50);
    assertThat(r.count(FormularyStatistics.LINKAGE_DRUG, "true")).isEqualTo(93);
    assertThat(r.count(FormularyStatistics.CHANGE_TYPE, "remove")).isEqualTo(1);
    assertThat(r.counts()).filteredOn(c -> c.dimension().equals(FormularyStatistics.VBP)).singleElement()
        .satisfies(c -> assertThat(c.percent()).isEqualByComparingTo("66.0"));
  }

  @Test
  void emptyVersion() {
    FormularyStatistics.Result r = FormularyStatistics.compute(consortium("c", "X"), List.of(), Labels.CODES);
    assertThat(r.total()).isZero();
    assertThat(r.count(FormularyStatistics.VBP, "true")).isZero();
    assertThat(r.counts()).allSatisfy(c -> assertThat(c.percent()).isEqualByComparingTo("0"));
  }
}
