package org.lianyao.security.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskerTest {

  @Test
  void residentIdsKeepRegionAndCheckCharacterOnly() {
    assertThat(LogMasker.mask("patient 500112195603120119 registered"))
        .isEqualTo("patient 500112***********9 registered");
    assertThat(LogMasker.mask("id=50011219561101003X;")).isEqualTo("id=500112***********X;");
    // URL-encoded search: the ID follows "%7C".
    assertThat(LogMasker.mask("GET /fhir/Patient?identifier=urn%3Aoid%3A2.16.156.10011.1.3%7C500112195603120119"))
        .doesNotContain("195603120119").contains("500112***********9");
  }

  @Test
  void longerOrShorterNumbersAreLeftAlone() {
    String traceCode = "81234567890123456789"; // 20-digit drug traceability code
    assertThat(LogMasker.mask("code " + traceCode)).contains(traceCode);
    assertThat(LogMasker.mask("NHSA H50011200001, HAPI id 1052")).isEqualTo("NHSA H50011200001, HAPI id 1052");
  }

  @Test
  void tokensSecretsAndCredentialsAreMasked() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJIIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
    assertThat(LogMasker.mask("Authorization: Bearer " + jwt)).doesNotContain("eyJzdWIi").contains("Bearer ***");
    assertThat(LogMasker.mask("token " + jwt + " rejected")).isEqualTo("token eyJ*** rejected");
    assertThat(LogMasker.mask("Authorization: Basic SDUwMDExMjAwMDA0OmRlbW8tc2VjcmV0"))
        .isEqualTo("Authorization: Basic ***");
    assertThat(LogMasker.mask("grant_type=client_credentials&client_secret=s3cr3t&scope=x"))
        .isEqualTo("grant_type=client_credentials&client_secret=***&scope=x");
    assertThat(LogMasker.mask("Invalid bearer token: signature")).isEqualTo("Invalid bearer token: signature");
  }

  @Test
  void namesInSearchParametersAndSerializedResourcesAreMasked() {
    assertThat(LogMasker.mask("GET /fhir/Patient?name=%E5%BC%A0%E4%BC%9F&_count=1"))
        .isEqualTo("GET /fhir/Patient?name=***&_count=1");
    assertThat(LogMasker.mask("GET /fhir/Patient?family:exact=张&given=伟")).doesNotContain("张").doesNotContain("伟");
    String json = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"张伟\",\"family\":\"张\",\"given\":[\"伟\"]}]}";
    assertThat(LogMasker.mask(json)).doesNotContain("张").doesNotContain("伟").contains("\"resourceType\":\"Patient\"");
    assertThat(LogMasker.mask("<Patient><name><family value=\"张\"/></name></Patient>")).doesNotContain("张");
  }

  @Test
  void ordinaryMessagesAreUnchanged() {
    String message = "Demo bundle consortium.json: 35 entries, 0 created, in 812 ms";
    assertThat(LogMasker.mask(message)).isEqualTo(message);
  }
}
