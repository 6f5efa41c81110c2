package io.influxbak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each {@code java} block of the README and of the pages under {@code docs/} appears in {@link
 * ReadmeSnippets}, which the build compiles. Whitespace is ignored (the formatter wraps lines
 * differently from the README), every other character counts.
 */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyReadmeJavaSnippet_isCompiledInReadmeSnippets() throws IOException {
    StringBuilder readme =
        new StringBuilder(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
    try (java.util.stream.Stream<Path> pages = Files.list(Path.of("..", "docs"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        readme.append(Files.readString(page, StandardCharsets.UTF_8));
      }
    }
    String compiled =
        withoutWhitespace(
            Files.readString(
                Path.of("src/main/java/io/influxbak/examples/ReadmeSnippets.java"),
                StandardCharsets.UTF_8));
    List<String> snippets = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      snippets.add(block.group(1));
    }

    assertThat(snippets).as("java blocks in the README and docs/").hasSizeGreaterThanOrEqualTo(2);
    for (String snippet : snippets) {
      assertThat(compiled).as("README snippet:%n%s", snippet).contains(withoutWhitespace(snippet));
    }
  }

  private static String withoutWhitespace(String text) {
    return text.replaceAll("\\s+", "");
  }
}
