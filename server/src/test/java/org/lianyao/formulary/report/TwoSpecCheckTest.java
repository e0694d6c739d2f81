package org.lianyao.formulary.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.formulary.Fixtures.institution;
import static org.lianyao.formulary.Fixtures.item;
import static org.lianyao.formulary.Fixtures.member;
import static org.lianyao.formulary.Fixtures.product;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.Institution;

class TwoSpecCheckTest {

  private static final TwoSpecCheck.Rules RULES = new TwoSpecCheck.Rules(2,
      Set.of("01", "04", "05", "19"), Set.of("15", "16"), Set.of("hypertension", "diabetes", "copd"));
  private static final Institution H = institution("h", "H50011200001", "tertiary-hospital", false);
  private static final FormularyVersion F = member("f", "h", "c");

  @Test
  void threeOralProductsOfOneGenericNameAreAViolation() {
    List<FormularyEntry> items = List.of(
        item("1", "f", product("a1", "阿托伐他汀钙片", "01", "20mg", "北京嘉林")).groups("coronary-heart-disease").build(),
        item("2", "f", product("a2", "阿托伐他汀钙片", "01", "20mg", "辉瑞")).build(),
        item("3", "f", product("a3", "阿托伐他汀钙片", "01", "10mg", "辉瑞")).build(),
        // Injectables of another generic name: two are allowed.
        item("4", "f", product("i1", "注射用头孢曲松钠", "15", "1g", "甲")).build(),
        item("5", "f", product("i2", "注射用头孢曲松钠", "15", "0.5g", "乙")).build());

    TwoSpecCheck.InstitutionResult r = TwoSpecCheck.check(H, F, items, null, RULES);

    assertThat(r.violations()).hasSize(1);
    TwoSpecCheck.Group g = r.violations().get(0);
    assertThat(g.genericName()).isEqualTo("阿托伐他汀钙片");
    assertThat(g.route()).isEqualTo(TwoSpecCheck.RouteClass.ORAL);
    assertThat(g.productCount()).isEqualTo(3);
    assertThat(g.exempt()).isFalse();
    assertThat(r.exempted()).isEmpty();
  }

  @Test
  void oralAndInjectableAreCountedApartAndOtherFormsNotAtAll() {
    List<FormularyEntry> items = List.of(
        item("1", "f", product("o1", "奥美拉唑", "21", "20mg", "甲")).build(), // 21 not in this test's oral list
        item("2", "f", product("o2", "奥美拉唑", "19", "20mg", "乙")).build(),
        item("3", "f", product("o3", "奥美拉唑", "19", "10mg", "乙")).build(),
        item("4", "f", product("i1", "奥美拉唑", "15", "40mg", "甲")).build(),
        item("5", "f", product("i2", "奥美拉唑", "15", "40mg", "乙")).build(),
        item("6", "f", product("i3", "奥美拉唑", "16", "40mg", "丙")).build(),
        item("7", "f", product("t1", "奥美拉唑", "60", "20mg", "丁")).build());

    TwoSpecCheck.InstitutionResult r = TwoSpecCheck.check(H, F, items, null, RULES);

    assertThat(r.violations()).singleElement().satisfies(g -> {
      assertThat(g.route()).isEqualTo(TwoSpecCheck.RouteClass.INJECTABLE);
      assertThat(g.productCount()).isEqualTo(3);
    });
  }

  @Test
  void hypertensionDiabetesAndCopdDrugsAreExempt() {
    List<FormularyEntry> items = List.of(
        item("1", "f", product("n1", "硝苯地平控释片", "05", "30mg", "甲")).groups("hypertension").build(),
        item("2", "f", product("n2", "硝苯地平控释片", "05", "30mg", "乙")).groups("hypertension", "coronary-heart-disease").build(),
        item("3", "f", product("n3", "硝苯地平控释片", "05", "60mg", "甲")).groups("hypertension").build());

    TwoSpecCheck.InstitutionResult r = TwoSpecCheck.check(H, F, items, null, RULES);

    assertThat(r.violations()).isEmpty();
    assertThat(r.exempted()).singleElement().satisfies(g -> assertThat(g.exempt()).isTrue());
  }

  @Test
  void theFlagDecidesOverTheGroupAndTheConsortiumFlagCounts() {
    // Flag false on one item although its group is exempt: the generic name is not exempt.
    List<FormularyEntry> stated = List.of(
        item("1", "f", product("d1", "二甲双胍", "01", "0.5g", "甲")).groups("diabetes").build(),
        item("2", "f", product("d2", "二甲双胍", "01", "0.25g", "甲")).groups("diabetes").build(),
        item("3", "f", product("d3", "二甲双胍", "01", "0.85g", "甲")).groups("diabetes").exempt(false).build());
    assertThat(TwoSpecCheck.check(H, F, stated, null, RULES).violations()).hasSize(1);

    // The member's items say nothing; the consortium catalog marks the products exempt.
    List<FormularyEntry> consortiumItems = List.of(
        item("c1", "c", product("x1", "某药片", "01", "1mg", "甲")).exempt(true).build(),
        item("c2", "c", product("x2", "某药片", "01", "2mg", "甲")).exempt(true).build(),
        item("c3", "c", product("x3", "某药片", "01", "3mg", "甲")).exempt(true).build());
    List<FormularyEntry> memberItems = List.of(
        item("1", "f", product("x1", "某药片", "01", "1mg", "甲")).build(),
        item("2", "f", product("x2", "某药片", "01", "2mg", "甲")).build(),
        item("3", "f", product("x3", "某药片", "01", "3mg", "甲")).build());
    TwoSpecCheck.InstitutionResult r = TwoSpecCheck.check(H, F, memberItems, new ProductMatcher(consortiumItems), RULES);
    assertThat(r.violations()).isEmpty();
    assertThat(r.exempted()).hasSize(1);
  }

  @Test
  void removedItemsAndTheSameProductListedTwiceDoNotCount() {
    List<FormularyEntry> items = List.of(
        item("1", "f", product("a1", "阿司匹林肠溶片", "04", "100mg", "拜耳")).build(),
        item("2", "f", product("a1", "阿司匹林肠溶片", "04", "100mg", "拜耳")).build(),
        item("3", "f", product("a2", "阿司匹林肠溶片", "04", "25mg", "甲")).build(),
        item("4", "f", product("a3", "阿司匹林肠溶片", "04", "50mg", "乙")).change("remove", "调出").build());

    assertThat(TwoSpecCheck.check(H, F, items, null, RULES).violations()).isEmpty();
  }

  @Test
  void genericNamesCompareWithoutWidthAndSpaceDifferences() {
    List<FormularyEntry> items = List.of(
        item("1", "f", product("a1", "维生素Ｂ１片", "01", "10mg", "甲")).build(),
        item("2", "f", product("a2", "维生素B1片", "01", "5mg", "乙")).build(),
        item("3", "f", product("a3", "维生素 B1片", "01", "20mg", "丙")).build());
    assertThat(TwoSpecCheck.check(H, F, items, null, RULES).violations()).hasSize(1);
  }
}
