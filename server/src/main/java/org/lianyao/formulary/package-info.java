/**
 * The formulary capability (医联体用药目录, issue #5): consortium formulary versions, member
 * formularies inside them, catalog imports, the rules on write and the reports officials use.
 *
 * <h2>Data on the FHIR store</h2>
 * A formulary version is an {@code InsurancePlan} (type {@code DRUGPOL} + {@code formulary-kind}
 * consortium | member, identifier in {@code http://lianyao.org/fhir/sid/formulary}, e.g.
 * {@code YGT-2025} or {@code H50011200003-2025}; a member formulary names its consortium version in
 * {@code parent-formulary}). Its items are {@code Basic} resources pointing to the version
 * ({@code formulary-reference}) and to the product ({@code subject} → {@code Medication}) with the
 * catalog flags and the change record ({@code docs/conventions.md}). A 调出 (remove) item records a
 * removal; it is not listed in its version.
 *
 * <h2>Formulary index</h2>
 * {@link org.lianyao.formulary.index.FormularyIndex} keeps a narrow projection of every item and
 * product in the gateway schema ({@code V2__formulary.sql}), written in the same transaction as the
 * FHIR write by {@link org.lianyao.formulary.index.FormularyIndexInterceptor} and rebuilt at start
 * when it disagrees with the store. Reports read items through it (one query instead of parsing
 * every Basic — the coverage target is 1 s for 50 institutions × 1,000 items); versions, institutions
 * and products are read through HAPI's DAOs. The services register no SearchParameters: the
 * {@code formulary}, {@code parent-formulary}, {@code vbp}, … search parameters for plain REST
 * searches come with the profiles package ({@code profiles/src/main/fhir/search-parameters}).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.lianyao.formulary.FormularyOperations} — the FHIR operations (thin);</li>
 *   <li>{@link org.lianyao.formulary.CatalogImportService} — writes catalog files (operation, file
 *       route, demo) all-or-nothing; implements the Camel route's {@code CatalogTransactionWriter};</li>
 *   <li>{@link org.lianyao.formulary.FormularyRulesInterceptor} — member items inside their
 *       consortium version, consortium periods ≤ 1 year (storage scope: REST and feeds alike);</li>
 *   <li>{@link org.lianyao.formulary.FormularyReportService} with the pure calculators of
 *       {@code org.lianyao.formulary.report} — diff, statistics, coverage, 一品两规, where-stocked;</li>
 *   <li>{@link org.lianyao.formulary.FormularyVersionService} — {@code $copy-version};</li>
 *   <li>{@link org.lianyao.formulary.FormularyDemoLoader} — the demo formularies.</li>
 * </ul>
 *
 * <h2>Glossary</h2>
 * 品规 product-spec; 衔接药品 linkage drug (stocked at every level of the consortium); 配备率 share of
 * the linkage drugs a member stocks; 品种偏少 low-variety (a grassroots member below 30 % of the
 * grassroots average); 一品两规 at most two oral and two injectable product-specs per generic name;
 * 引进/调出/变更 introduce/remove/change.
 */
package org.lianyao.formulary;
