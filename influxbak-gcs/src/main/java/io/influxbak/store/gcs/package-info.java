/**
 * Google Cloud Storage ({@code gs://bucket/prefix}) on google-cloud-storage's JSON API client:
 * {@link io.influxbak.store.gcs.GcsObjectStore}, opened from URIs by {@link
 * io.influxbak.store.gcs.GcsStoreProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.gcs;

import javax.annotation.ParametersAreNonnullByDefault;
