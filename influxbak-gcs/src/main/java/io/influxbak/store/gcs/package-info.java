/** The gcs object-store adapter. Placeholder until its issue lands: this module builds but provides no store yet. */
@ParametersAreNonnullByDefault
package io.influxbak.store.gcs;

import javax.annotation.ParametersAreNonnullByDefault;
