/**
 * Azure Blob Storage ({@code az://container/prefix}, {@code
 * https://<account>.blob.core.windows.net/<container>/<prefix>}) on the Azure Storage Blob SDK:
 * {@link io.influxbak.store.azure.AzureBlobObjectStore}, opened from URIs by {@link
 * io.influxbak.store.azure.AzureStoreProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.azure;

import javax.annotation.ParametersAreNonnullByDefault;
