/* amisim — the results of one run as bytes, and back (results_wire.c).
 *
 * For sending a replication's results from the process that ran it to the
 * one that reports (cli/mpi.c): every field of AmsResults, doubles bit for
 * bit, the quantile sketches whole (the reports ask them for p50, p90 and
 * p99), the pools, failures and storage places with their names. The
 * receiver's reports are then the same bytes as the sender's would be.
 *
 * The form is a GVariant "(utayam(tttdda(qat))ayasayasayas)": a version, a
 * layout tag (the sizes of the structs and the byte order), the AmsResults
 * struct's own bytes with its pointers cleared, the sketch of each AmsStat
 * in a fixed order, then each list (pools, failures, storage) as its
 * structs' bytes with the names apart. The scalar fields travel as the
 * struct's bytes, so a field added to AmsResults travels with no change
 * here; a POINTER field added to AmsResults or to a list's struct must be
 * handled here (and the version raised). Both ends must be the same
 * build on the same kind of machine, which an MPI run is; a mismatch is
 * an error, never a misread. */
#pragma once

#include <glib.h>
#include "amisim/results.h"

G_BEGIN_DECLS

#define AMS_RESULTS_WIRE_VERSION 2u

#define AMS_RESULTS_WIRE_ERROR (ams_results_wire_error_quark ())
GQuark ams_results_wire_error_quark (void);

/* Serialises `r` (unchanged). */
GBytes *ams_results_wire_save (const AmsResults *r);

/* Rebuilds results from `bytes` into `out` (overwritten, not cleared
 * first), their names owned by out->strings. FALSE with
 * AMS_RESULTS_WIRE_ERROR when the bytes are not results of this version
 * and layout (then `out` is left initialised and empty). */
gboolean ams_results_wire_load (GBytes *bytes, AmsResults *out, GError **error);

G_END_DECLS
