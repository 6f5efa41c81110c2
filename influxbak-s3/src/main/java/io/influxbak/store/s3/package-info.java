/** The s3 object-store adapter. Placeholder until its issue lands: this module builds but provides no store yet. */
@ParametersAreNonnullByDefault
package io.influxbak.store.s3;

import javax.annotation.ParametersAreNonnullByDefault;
