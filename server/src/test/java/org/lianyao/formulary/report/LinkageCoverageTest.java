package org.lianyao.formulary.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lianyao.formulary.Fixtures.consortium;
import static org.lianyao.formulary.Fixtures.institution;
import static org.lianyao.formulary.Fixtures.item;
import static org.lianyao.formulary.Fixtures.member;
import static org.lianyao.formulary.Fixtures.product;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.Institution;
import org.lianyao.formulary.Product;

class LinkageCoverageTest {

  private static final LinkageCoverage.Rules RULES =
      new LinkageCoverage.Rules(BigDecimal.valueOf(90), BigDecimal.valueOf(60), BigDecimal.valueOf(30));
  private static final FormularyVersion VERSION = consortium("c", "YGT-2025");

  /** Ten linkage products m0..m9, one non-linkage product, one removal record. */
  private static List<FormularyEntry> version() {
    List<FormularyEntry> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(item("c" + i, "c", product("m" + i, "药品" + i, "01", "10mg", "厂家" + i)).linkage(true).build());
    }
    items.add(item("c10", "c", product("m10", "药品10", "01", "10mg", "厂家10")).linkage(false).build());
    items.add(item("c11", "c", product("m11", "药品11", "01", "10mg", "厂家11")).linkage(true)
        .change("remove", "调出").build());
    return items;
  }

  private static LinkageCoverage.Member stocking(Institution inst, int... medications) {
    FormularyVersion f = member("f-" + inst.id(), inst.id(), "c");
    List<FormularyEntry> items = new ArrayList<>();
    for (int m : medications) {
      items.add(item("i-" + inst.id() + "-" + m, f.id(), product("m" + m, "药品" + m, "01", "10mg", "厂家" + m)).build());
    }
    return new LinkageCoverage.Member(inst, f, items);
  }

  @Test
  void countsLinkageDrugsPerInstitutionAgainstTheThresholdOfItsLevel() {
    Institution lead = institution("h1", "H01", "tertiary-hospital", false);
    Institution community = institution("h2", "H02", "community-health-center", true);
    Institution township = institution("h3", "H03", "township-health-center", true);
    Institution village = institution("h4", "H04", "village-clinic", true);
    List<LinkageCoverage.Member> members = List.of(
        // m10 is not a linkage drug and m11 was removed: neither counts.
        stocking(lead, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11),
        stocking(community, 0, 1, 2, 3, 4, 5),
        stocking(township, 0, 1, 2, 3, 4),
        stocking(village));

    LinkageCoverage.Result r = LinkageCoverage.compute(VERSION, version(), members, RULES);

    assertThat(r.linkageItems()).isEqualTo(10);
    assertThat(r.institutions()).extracting(i -> i.institution().nhsaCode()).containsExactly("H01", "H02", "H03", "H04");
    LinkageCoverage.InstitutionResult h1 = r.institutions().get(0);
    assertThat(h1.stocked()).isEqualTo(9);
    assertThat(h1.rate()).isEqualByComparingTo("90.00");
    assertThat(h1.threshold()).isEqualByComparingTo("90");
    assertThat(h1.pass()).isTrue(); // exactly on the threshold passes
    assertThat(h1.missing()).extracting(FormularyEntry::itemId).containsExactly("c9");
    assertThat(r.institutions().get(1).pass()).isTrue(); // 60 %
    assertThat(r.institutions().get(2).rate()).isEqualByComparingTo("50.00");
    assertThat(r.institutions().get(2).pass()).isFalse();

    // Grassroots average (6 + 5 + 0) / 3 = 3.67; cut-off 30 % = 1.10: only the village clinic is low.
    assertThat(r.grassrootsAverage()).isEqualByComparingTo("3.67");
    assertThat(r.lowVarietyCutoff()).isEqualByComparingTo("1.10");
    assertThat(r.institutions()).extracting(LinkageCoverage.InstitutionResult::lowVariety)
        .containsExactly(false, false, false, true);
    assertThat(r.passed()).isEqualTo(2);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.lowVariety()).isEqualTo(1);
  }

  @Test
  void aMemberProductMatchesByNhsaCodeOrBySpecWhenItIsAnotherMedication() {
    List<FormularyEntry> versionItems = List.of(
        item("c1", "c", new Product("m1", "阿托伐他汀钙片", "01", "片剂", "20mg", "20mg×7片/盒", "北京嘉林药业股份有限公司", null))
            .linkage(true).build(),
        item("c2", "c", new Product("m2", "盐酸二甲双胍片", "01", "片剂", "0.5g", "", "中美上海施贵宝制药有限公司",
            "XA10BAE021A010010201650")).linkage(true).build(),
        item("c3", "c", new Product("m3", "阿卡波糖片", "01", "片剂", "50mg", "", "拜耳医药保健有限公司", null))
            .linkage(true).build());
    Institution clinic = institution("h", "H09", "village-clinic", true);
    FormularyVersion f = member("f", "h", "c");
    List<FormularyEntry> stocked = List.of(
        // Local Medication, same 通用名 + 剂型 + 规格 + 生产企业 in another pack and spelling: matches m1.
        item("i1", "f", new Product("local-1", "阿托伐他汀钙片", "01", "片", "20 MG", "20mg×14片/盒", "北京嘉林药业股份有限公司", null)).build(),
        // Same NHSA code: matches m2.
        item("i2", "f", new Product("local-2", "二甲双胍", "01", "片", "500mg", "", "施贵宝", "XA10BAE021A010010201650")).build(),
        // Another manufacturer: no match.
        item("i3", "f", new Product("local-3", "阿卡波糖片", "01", "片剂", "50mg", "", "杭州中美华东制药有限公司", null)).build());

    LinkageCoverage.Result r = LinkageCoverage.compute(VERSION, versionItems,
        List.of(new LinkageCoverage.Member(clinic, f, stocked)), RULES);

    assertThat(r.institutions().get(0).stocked()).isEqualTo(2);
    assertThat(r.institutions().get(0).missing()).extracting(FormularyEntry::itemId).containsExactly("c3");
  }

  @Test
  void unknownLevelIsNotJudgedAndNoLinkageDrugsGiveNoRate() {
    Institution unknown = institution("x", "H99", null, null);
    LinkageCoverage.Result r = LinkageCoverage.compute(VERSION, version(), List.of(stocking(unknown, 1, 2)), RULES);
    assertThat(r.institutions().get(0).rate()).isEqualByComparingTo("20.00");
    assertThat(r.institutions().get(0).threshold()).isNull();
    assertThat(r.institutions().get(0).pass()).isNull();
    assertThat(r.grassrootsAverage()).isNull();

    LinkageCoverage.Result empty = LinkageCoverage.compute(VERSION, List.of(), List.of(stocking(unknown)), RULES);
    assertThat(empty.institutions().get(0).rate()).isNull();
    assertThat(empty.institutions().get(0).pass()).isNull();
  }

  @Test
  void institutionWithoutMemberFormularyStocksNothing() {
    Institution station = institution("s", "H05", "community-health-station", true);
    LinkageCoverage.Result r = LinkageCoverage.compute(VERSION, version(),
        List.of(new LinkageCoverage.Member(station, null, null)), RULES);
    assertThat(r.institutions().get(0).stocked()).isZero();
    assertThat(r.institutions().get(0).pass()).isFalse();
    assertThat(r.institutions().get(0).formulary()).isNull();
  }
}
