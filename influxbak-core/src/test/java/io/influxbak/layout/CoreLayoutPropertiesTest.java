package io.influxbak.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.BothOutcomes;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;

/** Properties of the classifier over generated trees and generated names. */
class CoreLayoutPropertiesTest {
  @Property
  void classify_generatedTree_everyKeyGetsTheKindItWasWrittenAs(
      @ForAll("nodes") GeneratedNode node) {
    CoreLayout layout = CoreLayout.of(node.node());
    for (Map.Entry<ObjectKey, GeneratedNode.GeneratedObject> entry : node.objects().entrySet()) {
      assertThat(layout.classify(entry.getKey()).kind())
          .as(entry.getKey().toString())
          .isEqualTo(entry.getValue().kind());
    }
  }

  @Property
  void classify_walName_parsesEveryElevenDigitNumber(@ForAll("walNumbers") long sequence) {
    String key = String.format("node0/wal/%011d.wal", sequence);
    NodeObject object = CoreLayout.of(NodeId.of("node0")).classify(ObjectKey.of(key));
    assertThat(object.kind()).isEqualTo(ObjectKind.WAL);
    assertThat(object.sequence().getAsLong()).isEqualTo(sequence);
  }

  @Property
  void classify_snapshotName_uninvertsEverySequence(@ForAll long sequence) {
    String key = "node0/snapshots/" + SequenceNumbers.invertedName(sequence) + ".info.json";
    NodeObject object = CoreLayout.of(NodeId.of("node0")).classify(ObjectKey.of(key));
    assertThat(object.kind()).isEqualTo(ObjectKind.SNAPSHOT);
    assertThat(object.sequence().getAsLong()).isEqualTo(sequence);
  }

  /** The hand-written staging test is the regular expression it replaced, name for name. */
  @Property(tries = 2000)
  @StatisticsReport(onFailureOnly = true)
  void isStaging_anyName_sameAsTheRegularExpression(@ForAll("stagingLikeNames") String name) {
    boolean expected = Pattern.compile(".*#\\d+").matcher(name).matches();
    BothOutcomes.record("staging", expected);
    assertThat(CoreLayout.isStaging(name)).as(name).isEqualTo(expected);
  }

  /** Names built from the characters the expression turns on: '#', digits, line terminators. */
  @Provide
  Arbitrary<String> stagingLikeNames() {
    return Arbitraries.strings()
        .withChars("#09a.\n\r\u0085\u2028\u2029\u0660")
        .ofMaxLength(8)
        .injectDuplicates(0.1);
  }

  @Provide
  Arbitrary<GeneratedNode> nodes() {
    return CoreNodeArbitraries.coreNodes();
  }

  @Provide
  Arbitrary<Long> walNumbers() {
    return Arbitraries.longs().between(0, 99_999_999_999L);
  }
}
