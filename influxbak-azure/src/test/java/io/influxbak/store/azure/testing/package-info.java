/**
 * Azurite, the Azure Storage emulator, as a child process, and a request recorder, for this
 * module's and cross-store tests.
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.azure.testing;

import javax.annotation.ParametersAreNonnullByDefault;
