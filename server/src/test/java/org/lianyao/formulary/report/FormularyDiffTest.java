package org.lianyao.formulary.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.formulary.Fixtures.consortium;
import static org.lianyao.formulary.Fixtures.item;
import static org.lianyao.formulary.Fixtures.product;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.report.FormularyDiff.Field;

class FormularyDiffTest {

  private static final FormularyVersion V24 = consortium("a", "YGT-2024");
  private static final FormularyVersion V25 = consortium("b", "YGT-2025");

  @Test
  void introducedRemovedAndChangedWithTheFieldsThatChanged() {
    List<FormularyEntry> older = List.of(
        item("a1", "a", product("m1", "苯磺酸氨氯地平片", "01", "5mg", "5mg×7片/盒", "辉瑞制药有限公司", null))
            .essential(true).insurance("A").groups("hypertension").linkage(true).build(),
        item("a2", "a", product("m2", "卡托普利片", "01", "25mg", "中美上海施贵宝制药有限公司")).linkage(false).build(),
        item("a3", "a", product("m3", "琥珀酸美托洛尔缓释片", "05", "47.5mg", "阿斯利康制药有限公司")).linkage(false).build(),
        item("a4", "a", product("m4", "硝苯地平控释片", "05", "30mg", "拜耳医药保健有限公司")).linkage(true).build());
    List<FormularyEntry> newer = List.of(
        // The VBP winner replaces the originator: another Medication, same 通用名 + 剂型 + 规格.
        item("b1", "b", product("m5", "苯磺酸氨氯地平片", "01", "5mg", "", "浙江京新药业股份有限公司", null))
            .vbp("第一批").essential(true).insurance("A").groups("hypertension").linkage(true)
            .change("change", "集采中选品种替代").build(),
        item("b2", "b", product("m2", "卡托普利片", "01", "25mg", "中美上海施贵宝制药有限公司")).linkage(false)
            .change("remove", "使用量少").build(),
        item("b3", "b", product("m3", "琥珀酸美托洛尔缓释片", "05", "47.5mg", "阿斯利康制药有限公司")).linkage(true)
            .change("change", "纳入衔接").build(),
        item("b4", "b", product("m4", "硝苯地平控释片", "05", "30mg", "拜耳医药保健有限公司")).linkage(true).build(),
        item("b5", "b", product("m6", "格列美脲片", "01", "2mg", "赛诺菲")).change("introduce", "新增").build());

    FormularyDiff.Result r = FormularyDiff.diff(V24, older, V25, newer, Labels.CODES);

    assertThat(r.introduced()).extracting(FormularyEntry::itemId).containsExactly("b5");
    assertThat(r.removed()).extracting(FormularyEntry::itemId).containsExactly("a2");
    assertThat(r.removalRecordOf(r.removed().get(0))).map(FormularyEntry::changeReason).contains("使用量少");
    assertThat(r.unchanged()).isEqualTo(1);
    assertThat(r.changed()).hasSize(2);
    FormularyDiff.ItemChange amlodipine = r.changed().stream().filter(c -> c.to().itemId().equals("b1")).findFirst().orElseThrow();
    assertThat(amlodipine.from().itemId()).isEqualTo("a1");
    assertThat(amlodipine.changes()).extracting(FormularyDiff.FieldChange::field)
        .containsExactly(Field.MANUFACTURER, Field.PACKAGE, Field.VBP, Field.VBP_BATCH);
    assertThat(amlodipine.changes().get(0).from()).isEqualTo("辉瑞制药有限公司");
    assertThat(amlodipine.changes().get(0).to()).isEqualTo("浙江京新药业股份有限公司");
    assertThat(amlodipine.changes().get(2).from()).isEqualTo("未说明");
    assertThat(amlodipine.changes().get(2).to()).isEqualTo("是");
    FormularyDiff.ItemChange metoprolol = r.changed().stream().filter(c -> c.to().itemId().equals("b3")).findFirst().orElseThrow();
    assertThat(metoprolol.changes()).singleElement().satisfies(f -> {
      assertThat(f.field()).isEqualTo(Field.LINKAGE_DRUG);
      assertThat(f.field().label()).isEqualTo("衔接药品");
      assertThat(f.from()).isEqualTo("否");
      assertThat(f.to()).isEqualTo("是");
    });
  }

  @Test
  void sameNhsaCodeOrSameSpecInAnotherPackIsTheSameProduct() {
    List<FormularyEntry> older = List.of(
        item("a1", "a", product("m1", "盐酸二甲双胍片", "01", "0.5g", "", "施贵宝", "XA10BAE021A010010201650")).build(),
        item("a2", "a", product("m2", "阿卡波糖片", "01", "50mg", "50mg×30片/盒", "拜耳", null)).build());
    List<FormularyEntry> newer = List.of(
        item("b1", "b", product("m9", "盐酸二甲双胍片", "01", "0.5g", "", "施贵宝", "XA10BAE021A010010201650")).build(),
        item("b2", "b", product("m8", "阿卡波糖片", "01", "50mg", "50mg×60片/盒", "拜耳", null)).build());

    FormularyDiff.Result r = FormularyDiff.diff(V24, older, V25, newer, Labels.CODES);

    assertThat(r.introduced()).isEmpty();
    assertThat(r.removed()).isEmpty();
    assertThat(r.unchanged()).isEqualTo(1);
    assertThat(r.changed()).singleElement().satisfies(c ->
        assertThat(c.changes()).extracting(FormularyDiff.FieldChange::field).containsExactly(Field.PACKAGE));
  }

  @Test
  void ambiguousSpecsAreNotGuessed() {
    // Two originators leave, two generics arrive: which replaced which is not knowable.
    List<FormularyEntry> older = List.of(
        item("a1", "a", product("m1", "阿托伐他汀钙片", "01", "20mg", "辉瑞")).build(),
        item("a2", "a", product("m2", "阿托伐他汀钙片", "01", "20mg", "乐普")).build());
    List<FormularyEntry> newer = List.of(
        item("b1", "b", product("m3", "阿托伐他汀钙片", "01", "20mg", "嘉林")).build(),
        item("b2", "b", product("m4", "阿托伐他汀钙片", "01", "20mg", "齐鲁")).build());

    FormularyDiff.Result r = FormularyDiff.diff(V24, older, V25, newer, Labels.CODES);

    assertThat(r.changed()).isEmpty();
    assertThat(r.introduced()).hasSize(2);
    assertThat(r.removed()).hasSize(2);
  }

  @Test
  void formCodeDecidesNotItsSpelling() {
    List<FormularyEntry> older = List.of(item("a1", "a",
        new org.lianyao.formulary.Product("m1", "缬沙坦胶囊", "19", "胶囊", "80mg", "", "诺华", null)).build());
    List<FormularyEntry> newer = List.of(item("b1", "b",
        new org.lianyao.formulary.Product("m1", "缬沙坦胶囊", "19", "胶囊剂", "80mg", "", "诺华", null)).build());
    assertThat(FormularyDiff.diff(V24, older, V25, newer, Labels.CODES).unchanged()).isEqualTo(1);
  }
}
