/**
 * Moving bytes with proof: streams that hash (CRC32C, SHA-256) and count what passes through them,
 * and fail before the last byte is handed on when the content is not what was expected, so a write
 * that consumes them publishes nothing wrong.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.transfer;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
