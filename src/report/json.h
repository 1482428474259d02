/* Report-private: a streaming JSON writer into a GString.
 *
 * Output is pretty-printed with two-space indents and deterministic number
 * formatting (integers exactly, doubles with %.10g, non-finite as null), so
 * the same results always give the same bytes. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/policy.h"
#include "amisim/time.h"

typedef struct
{
  GString *s;
  guint depth;
  gboolean need_comma;
} AmsJson;

void ams_json_init (AmsJson *j, GString *out);
/* `key` is NULL inside arrays and at the top. */
void ams_json_begin_object (AmsJson *j, const char *key);
void ams_json_end_object (AmsJson *j);
void ams_json_begin_array (AmsJson *j, const char *key);
void ams_json_end_array (AmsJson *j);
void ams_json_string (AmsJson *j, const char *key, const char *value); /* NULL -> null */
void ams_json_uint (AmsJson *j, const char *key, uint64_t value);
void ams_json_int (AmsJson *j, const char *key, int64_t value);
void ams_json_double (AmsJson *j, const char *key, double value);
void ams_json_bool (AmsJson *j, const char *key, gboolean value);
/* [a, b] on one line (an interval); non-finite numbers as null. */
void ams_json_pair (AmsJson *j, const char *key, double a, double b);
/* Appends s as a JSON string literal (quoted and escaped). */
void ams_json_escape (GString *out, const char *s);

/* An array of the statements of a verdict: {policy, index, sid, effect,
 * file, line, col, json} each. */
void ams_json_statements (AmsJson *j, const char *key, const GArray *statements);
/* An array of a verdict's near misses: {policy, index, sid, file, line, col, why}. */
void ams_json_near_misses (AmsJson *j, const char *key, const GArray *near);

/* ---- instants: ISO 8601 UTC, millisecond precision -------------------- */

/* Room for "-292277-01-01T00:00:00.000Z" and its NUL. */
#define AMS_ISO_TIME_LEN 32

/* The instant `start` + `t` (µs since the Unix epoch, and simulated µs
 * since the start), "2026-01-02T01:23:45.678Z": milliseconds truncated
 * toward the past, the same bytes whatever the locale or time zone. ""
 * when `t` is AMS_TIME_NEVER. Returns `buf`. */
const char *ams_iso_time (char buf[AMS_ISO_TIME_LEN], AmsTime start, AmsTime t);
/* The same of `start` + `s` seconds (a mean, say); "" when `s` is not finite. */
const char *ams_iso_time_s (char buf[AMS_ISO_TIME_LEN], AmsTime start, double s);
/* A string, or null when it is "" or NULL. */
void ams_json_iso (AmsJson *j, const char *key, const char *iso);
