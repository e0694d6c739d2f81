package org.lianyao.feed.hl7;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.ConceptMap;
import org.lianyao.terminology.TerminologyResources;

/**
 * The HL7 v2 test messages under {@code src/test/resources/hl7/} (see the README there) and a
 * converter configuration built from the real terminology resources plus the test drug maps.
 */
final class Hl7Fixtures {

  /** The two directories of the same messages. */
  enum Encoding {
    GB18030("gb18030", Hl7Charsets.GB18030),
    UTF8("utf8", StandardCharsets.UTF_8);

    final String directory;
    final Charset charset;

    Encoding(String directory, Charset charset) {
      this.directory = directory;
      this.charset = charset;
    }
  }

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final TerminologyResources TERMINOLOGY = new TerminologyResources(FHIR);
  static final List<ConceptMap> DRUG_MAPS = List.of(
      conceptMap("hl7/terminology/ConceptMap-local-drug-H50011200001.json"),
      conceptMap("hl7/terminology/ConceptMap-local-drug-H50011200003.json"));
  static final Hl7ConverterConfig CONFIG = Hl7ConverterConfig.of(TERMINOLOGY,
      DrugCodeMapper.from(new ConceptMapCodeMapper(DRUG_MAPS)));

  private Hl7Fixtures() {}

  static byte[] bytes(Encoding encoding, String name) {
    return resource("hl7/" + encoding.directory + "/" + name + ".hl7");
  }

  static String text(Encoding encoding, String name) {
    return new String(bytes(encoding, name), encoding.charset);
  }

  /** A fixture with a textual change, encoded again in the same charset. */
  static byte[] edited(Encoding encoding, String name, String from, String to) {
    String text = text(encoding, name);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(name + " does not contain " + from);
    }
    return text.replace(from, to).getBytes(encoding.charset);
  }

  private static ConceptMap conceptMap(String path) {
    return FHIR.newJsonParser().parseResource(ConceptMap.class, new String(resource(path), StandardCharsets.UTF_8));
  }

  private static byte[] resource(String path) {
    try (InputStream in = Hl7Fixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
