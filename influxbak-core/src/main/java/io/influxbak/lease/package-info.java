/**
 * Leases: how runs that change a store keep out of each other's way. An operation that changes a
 * backup store (backup, resume, prune) or restores into a target holds a lease object in that
 * store, written only if absent, renewed while it runs with a conditional replace on the version it
 * wrote, and deleted at the end on that version. A lease past its expiry by a margin is taken over
 * with the same conditional replace, and its holder, whose next renewal then fails, stops before
 * its next change ({@link io.influxbak.lease.HeldLease#checkHeld}).
 */
@ParametersAreNonnullByDefault
package io.influxbak.lease;

import javax.annotation.ParametersAreNonnullByDefault;
