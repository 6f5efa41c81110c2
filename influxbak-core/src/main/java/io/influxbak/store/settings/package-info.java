/**
 * Typed store settings: each provider declares its keys as {@link
 * io.influxbak.store.settings.StoreSetting}s and reads them through {@link
 * io.influxbak.store.settings.StoreSettings}, which refuses unknown keys naming the nearest known
 * one.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.settings;

import javax.annotation.ParametersAreNonnullByDefault;
