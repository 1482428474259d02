/* amisim — scenario loader: helpers of the scalar notations shared by
 * units.c and the schema checks (private to src/scenario/). The public
 * parsers (durations, sizes, rates, throughputs, times, distributions) are
 * declared in amisim/scenario.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A call written name(args): the distributions, arrivals: poisson(rate=R).
 * `params` are the names of its named parameters, `example` a complete
 * call shown in messages. */
typedef struct
{
  const char *name;
  const char *params[2];
  guint n_params;
  const char *example;
} AmsCallSpec;

/* Splits "name( args )" into the name and the text between the
 * parentheses (both trimmed). FALSE with a message if it is not a call. */
gboolean ams_split_call (const char *text, char **name, char **args, GError **error);

/* Parses "p=v, q=v" against `spec`: each parameter exactly once, in any
 * order. On success values[i] (free with g_free) is the text of
 * spec->params[i]. */
gboolean ams_parse_named_args (const char *args, const AmsCallSpec *spec,
                               char **values, GError **error);

/* A plain non-negative decimal number ("1.5"), no sign, exponent or unit. */
gboolean ams_parse_plain_number (const char *text, double *out);

G_END_DECLS
