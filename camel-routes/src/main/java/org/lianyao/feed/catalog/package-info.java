/**
 * Import of the consortium formulary (医联体用药目录) — the product-spec list that a close medical
 * consortium's pharmacy committee (药事管理与药物治疗学委员会) adopts each year and that every member
 * institution's own formulary must stay inside (国卫药政发〔2024〕38号).
 *
 * <h2>Flow</h2>
 * <ol>
 *   <li>{@link org.lianyao.feed.catalog.CatalogReader} reads the committee's XLSX or CSV (Chinese
 *       headers, UTF-8 or GB18030) into {@link org.lianyao.feed.catalog.CatalogRow}s with spreadsheet
 *       row numbers;</li>
 *   <li>{@link org.lianyao.feed.catalog.CatalogValidator} reports every problem as a
 *       {@link org.lianyao.feed.catalog.CatalogProblem} (row, column, value, Chinese message, English
 *       diagnostic) and interprets valid rows into {@link org.lianyao.feed.catalog.CatalogItem}s;</li>
 *   <li>only when there is no problem at all, {@link org.lianyao.feed.catalog.CatalogConverter} builds
 *       an idempotent FHIR transaction: per product-spec a Medication and a Basic formulary item
 *       pointing to the formulary's InsurancePlan ({@link org.lianyao.feed.catalog.FormularyTarget});</li>
 *   <li>otherwise {@link org.lianyao.feed.catalog.CatalogImportReport} renders the problems (CSV, XLSX,
 *       text, OperationOutcome).</li>
 * </ol>
 * {@link org.lianyao.feed.catalog.CatalogImporter} chains the steps for the
 * {@code InsurancePlan/$import-catalog} operation and the file route;
 * {@link org.lianyao.feed.catalog.CatalogTemplate} writes the blank template for
 * {@code InsurancePlan/$catalog-template}.
 *
 * <h2>Identifier systems introduced here</h2>
 * <ul>
 *   <li>{@code http://lianyao.org/fhir/sid/product-key} ({@link org.lianyao.feed.catalog.ProductKey#SYSTEM}):
 *       Medication key when a row has no 医保药品编码 — 32 hex chars of SHA-256 over
 *       通用名|剂型代码|规格|包装|生产企业 in a frozen normal form.</li>
 *   <li>{@code http://lianyao.org/fhir/sid/formulary-item}
 *       ({@link org.lianyao.feed.catalog.CatalogConverter#FORMULARY_ITEM_SYSTEM}): Basic key,
 *       {@code <formulary key>|<product key>}.</li>
 * </ul>
 *
 * <h2>Glossary</h2>
 * 品规 product-spec (one generic name in one form, strength, package, from one manufacturer);
 * 集采 volume-based procurement (VBP) product; 基药 national essential medicine; 医保类别 insurance
 * class 甲/乙/丙; 慢病病种 chronic-disease group; 衔接药品 linkage drug (stocked both at the lead
 * hospital and at grassroots members); 一品两规 "one generic, two products" stocking limit;
 * 引进/调出/变更 introduce/remove/change in the yearly adjustment; 本位码 NMPA drug standard code;
 * 批准文号 NMPA approval number.
 *
 * <h2>Demo catalogs</h2>
 * {@code demo/catalog-2024.csv} and {@code demo/catalog-2025.csv} are two versions of a demo
 * chronic-disease linkage catalog built from real products (generic names, strengths and
 * manufacturers). Flags (集采, 基药, 医保类别) are filled only where well established and otherwise
 * left empty ("not stated"); 医保药品编码, 本位码 and 批准文号 are deliberately empty, because no
 * verified codes were available and invented ones would look real. The 2025 file records its
 * changes against 2024 (引进, 调出, 变更 with 生效日期 2025-04-01 and reasons).
 */
package org.lianyao.feed.catalog;
