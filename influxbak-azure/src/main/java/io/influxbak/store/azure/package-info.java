/** The azure object-store adapter. Placeholder until its issue lands: this module builds but provides no store yet. */
@ParametersAreNonnullByDefault
package io.influxbak.store.azure;

import javax.annotation.ParametersAreNonnullByDefault;
