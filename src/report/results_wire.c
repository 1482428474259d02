/* The results of one run as bytes, and back (results_wire.h). */
#include <stddef.h>
#include <string.h>

#include "report/results_wire.h"

#define WIRE_TYPE "(utayam" AMS_QUANTILES_VARIANT_TYPE "ayasayasayasay)"

/* Every AmsStat of AmsResults: their sketches travel apart. */
static const gsize stat_offsets[] = {
  offsetof (AmsResults, build_s),        offsetof (AmsResults, distribution_s),
  offsetof (AmsResults, end_to_end_s),   offsetof (AmsResults, wait_s),
  offsetof (AmsResults, transfer_s),     offsetof (AmsResults, total_s),
  offsetof (AmsResults, lc_execution_s), offsetof (AmsResults, ripple_size),
  offsetof (AmsResults, ripple_delay_s),
};

#define STAT_AT(r, i) ((AmsStat *) (void *) ((char *) (r) + stat_offsets[i]))

/* The sizes of the structs that travel as bytes, and the byte order. */
static guint64
layout (void)
{
  return (guint64) sizeof (AmsResults) | (guint64) sizeof (AmsPoolReport) << 16
         | (guint64) sizeof (AmsFailureCount) << 32 | (guint64) sizeof (AmsStorageReport) << 48
         | (G_BYTE_ORDER == G_BIG_ENDIAN ? (guint64) 1 << 63 : 0);
}

/* The names of each element of a list: account and region, at these
 * offsets in its struct. */
typedef struct
{
  gsize size, account, region;
} ListKind;

static const ListKind pool_kind = { sizeof (AmsPoolReport), offsetof (AmsPoolReport, account),
                                    offsetof (AmsPoolReport, region) };
static const ListKind failure_kind = { sizeof (AmsFailureCount),
                                       offsetof (AmsFailureCount, account),
                                       offsetof (AmsFailureCount, region) };
static const ListKind storage_kind = { sizeof (AmsStorageReport),
                                       offsetof (AmsStorageReport, account),
                                       offsetof (AmsStorageReport, region) };

#define NAME_AT(elem, off) (*(const char **) (void *) ((char *) (elem) + (off)))

static void
add_list (GVariantBuilder *b, const GArray *a, const ListKind *k)
{
  guint n = a != NULL ? a->len : 0;
  g_autofree char *copy = g_malloc0 ((gsize) MAX (n, 1u) * k->size);
  GVariantBuilder names;
  g_variant_builder_init (&names, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < n; i++)
    {
      char *elem = copy + (gsize) i * k->size;
      memcpy (elem, a->data + (gsize) i * k->size, k->size);
      const char *account = NAME_AT (elem, k->account), *region = NAME_AT (elem, k->region);
      g_variant_builder_add (&names, "s", account != NULL ? account : "");
      g_variant_builder_add (&names, "s", region != NULL ? region : "");
      NAME_AT (elem, k->account) = NULL;
      NAME_AT (elem, k->region) = NULL;
    }
  g_variant_builder_add_value (b, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, copy,
                                                             (gsize) n * k->size, 1));
  g_variant_builder_add_value (b, g_variant_builder_end (&names));
}

GBytes *
ams_results_wire_save (const AmsResults *r)
{
  g_return_val_if_fail (r != NULL, NULL);
  AmsResults copy;
  memcpy (&copy, r, sizeof copy);
  for (guint i = 0; i < G_N_ELEMENTS (stat_offsets); i++)
    STAT_AT (&copy, i)->q = NULL;
  copy.pools = copy.failures = copy.storage = NULL;
  copy.days = NULL;
  copy.strings = NULL;

  GVariantBuilder b;
  g_variant_builder_init (&b, G_VARIANT_TYPE (WIRE_TYPE));
  g_variant_builder_add (&b, "u", AMS_RESULTS_WIRE_VERSION);
  g_variant_builder_add (&b, "t", layout ());
  g_variant_builder_add_value (&b, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, &copy,
                                                              sizeof copy, 1));
  GVariantBuilder stats;
  g_variant_builder_init (&stats, G_VARIANT_TYPE ("am" AMS_QUANTILES_VARIANT_TYPE));
  for (guint i = 0; i < G_N_ELEMENTS (stat_offsets); i++)
    {
      const AmsQuantiles *q = ams_stat_sketch (STAT_AT (r, i));
      g_variant_builder_add_value (
        &stats, g_variant_new_maybe (G_VARIANT_TYPE (AMS_QUANTILES_VARIANT_TYPE),
                                     q != NULL ? ams_quantiles_to_variant (q) : NULL));
    }
  g_variant_builder_add_value (&b, g_variant_builder_end (&stats));
  add_list (&b, r->pools, &pool_kind);
  add_list (&b, r->failures, &failure_kind);
  add_list (&b, r->storage, &storage_kind);
  /* the days: plain values, no names */
  guint n_days = r->days != NULL ? r->days->len : 0;
  g_variant_builder_add_value (&b, g_variant_new_fixed_array (
                                     G_VARIANT_TYPE_BYTE, n_days ? r->days->data : "",
                                     (gsize) n_days * sizeof (AmsDayReport), 1));
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_builder_end (&b));
  return g_variant_get_data_as_bytes (v);
}

G_DEFINE_QUARK (ams-results-wire-error, ams_results_wire_error)

static gboolean
bad (GError **error, const char *what)
{
  g_set_error (error, AMS_RESULTS_WIRE_ERROR, 0, "results received: %s", what);
  return FALSE;
}

/* Fills `a` (empty) with the list's elements, their names kept in s. */
static gboolean
load_list (GVariant *bytes, GVariant *names, const ListKind *k, GArray *a, GStringChunk *s)
{
  gsize len = 0, n_names = 0;
  const char *data = g_variant_get_fixed_array (bytes, &len, 1);
  g_autofree const char **nm = g_variant_get_strv (names, &n_names);
  if (len % k->size != 0 || n_names != 2 * (len / k->size))
    return FALSE;
  guint n = (guint) (len / k->size);
  g_array_set_size (a, n);
  if (n > 0)
    memcpy (a->data, data, len);
  for (guint i = 0; i < n; i++)
    {
      char *elem = a->data + (gsize) i * k->size;
      NAME_AT (elem, k->account) = g_string_chunk_insert_const (s, nm[2 * i]);
      NAME_AT (elem, k->region) = g_string_chunk_insert_const (s, nm[2 * i + 1]);
    }
  return TRUE;
}

gboolean
ams_results_wire_load (GBytes *bytes, AmsResults *out, GError **error)
{
  g_return_val_if_fail (bytes != NULL && out != NULL, FALSE);
  ams_results_init (out);
  g_autoptr (GVariant) v = g_variant_ref_sink (
    g_variant_new_from_bytes (G_VARIANT_TYPE (WIRE_TYPE), bytes, FALSE));
  if (!g_variant_is_normal_form (v))
    return bad (error, "not in the expected form");
  guint32 version;
  guint64 lay;
  g_autoptr (GVariant) blob = NULL, stats = NULL, pools = NULL, pool_names = NULL;
  g_autoptr (GVariant) failures = NULL, failure_names = NULL, storage = NULL;
  g_autoptr (GVariant) storage_names = NULL, days = NULL;
  g_variant_get (v, "(ut@ay@am" AMS_QUANTILES_VARIANT_TYPE "@ay@as@ay@as@ay@as@ay)", &version,
                 &lay, &blob, &stats, &pools, &pool_names, &failures, &failure_names, &storage,
                 &storage_names, &days);
  if (version != AMS_RESULTS_WIRE_VERSION)
    return bad (error, "another version of the form (a different amisim on some rank?)");
  if (lay != layout ())
    return bad (error, "another layout (a different amisim build or kind of machine on some "
                       "rank?)");
  gsize len = 0;
  const void *data = g_variant_get_fixed_array (blob, &len, 1);
  if (len != sizeof (AmsResults)
      || g_variant_n_children (stats) != G_N_ELEMENTS (stat_offsets))
    return bad (error, "the wrong size");

  AmsResults r;
  memcpy (&r, data, sizeof r);
  for (guint i = 0; i < G_N_ELEMENTS (stat_offsets); i++)
    STAT_AT (&r, i)->q = NULL;
  r.pools = out->pools;
  r.failures = out->failures;
  r.storage = out->storage;
  r.days = out->days;
  r.strings = g_string_chunk_new (1024);
  *out = r;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (stat_offsets); i++)
    {
      g_autoptr (GVariant) m = g_variant_get_child_value (stats, i);
      g_autoptr (GVariant) q = g_variant_get_maybe (m);
      if (q != NULL)
        ok = (STAT_AT (out, i)->q = ams_quantiles_from_variant (q)) != NULL;
    }
  ok = ok && load_list (pools, pool_names, &pool_kind, out->pools, out->strings)
       && load_list (failures, failure_names, &failure_kind, out->failures, out->strings)
       && load_list (storage, storage_names, &storage_kind, out->storage, out->strings);
  gsize days_len = 0;
  const void *days_data = g_variant_get_fixed_array (days, &days_len, 1);
  ok = ok && days_len % sizeof (AmsDayReport) == 0;
  if (ok && days_len > 0)
    g_array_append_vals (out->days, days_data, (guint) (days_len / sizeof (AmsDayReport)));
  if (!ok)
    {
      ams_results_clear (out);
      ams_results_init (out);
      return bad (error, "a malformed part");
    }
  return TRUE;
}
