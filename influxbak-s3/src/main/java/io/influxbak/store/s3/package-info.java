/**
 * Amazon S3 and S3-compatible stores ({@code s3://bucket/prefix}) on the AWS SDK for Java v2:
 * {@link io.influxbak.store.s3.S3ObjectStore}, opened from URIs by {@link
 * io.influxbak.store.s3.S3StoreProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.s3;

import javax.annotation.ParametersAreNonnullByDefault;
