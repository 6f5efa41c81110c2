/**
 * The S3 test servers (S3Mock, S3Proxy) as child processes, for this module's tests and cross-store
 * tests.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.s3.testing;

import javax.annotation.ParametersAreNonnullByDefault;
