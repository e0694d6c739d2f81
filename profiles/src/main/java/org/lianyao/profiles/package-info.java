/**
 * The Lianyao FHIR R4 package: profiles, extensions, search parameters and examples, built into
 * the FHIR NPM package {@code lianyao.fhir.cn} together with the terminology module's code tables,
 * and the offline validation set-up the server uses.
 *
 * <ul>
 *   <li>{@link org.lianyao.profiles.LianyaoPackage} — the archive on the classpath, its version and
 *       contents, the profile per resource type;</li>
 *   <li>{@link org.lianyao.profiles.LianyaoValidationSupportFactory} — offline
 *       {@code ValidationSupportChain} and validators;</li>
 *   <li>{@link org.lianyao.profiles.LianyaoIdentifierValidatorModule} — check characters and
 *       resident-ID consistency, which FHIRPath cannot express;</li>
 *   <li>{@link org.lianyao.profiles.LianyaoProfiles} — canonical URLs.</li>
 * </ul>
 *
 * <p>Terms: 处方 prescription (one MedicationRequest per drug line, sharing the prescription
 * number); 长期处方 long-term prescription (chronic patients, up to 12 weeks); 延伸处方 extended
 * prescription (a grassroots member continues a higher-level hospital's prescription); 处方前置审核
 * regional pre-review of prescriptions before dispensing; 用药目录 formulary (InsurancePlan) and
 * 目录条目 formulary item (Basic); 集采 volume-based procurement (VBP); 基药 essential medicine;
 * 一品两规 at most two products per generic name and route; 拆零 split-pack dispensing;
 * 药品追溯码 drug traceability code.
 */
package org.lianyao.profiles;
