package io.influxbak.backup;

import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import java.util.Optional;
import java.util.function.Function;

/**
 * A prefix to back up and how to classify its keys.
 *
 * @param node the node the prefix is, or empty for an Enterprise cluster's own prefix
 */
record Scope(KeyPrefix prefix, Function<ObjectKey, NodeObject> classifier, Optional<NodeId> node) {}
