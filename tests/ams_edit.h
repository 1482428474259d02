/* amisim tests — scenarios written once with #MARKERS#, varied per case.
 *
 * A test file keeps one base scenario text, a table of the markers'
 * healthy values, and per case a NULL-ended list of edits:
 *   static const AmsEdit edits[] = { { "#KEY#", "…" }, { NULL } };
 *   AmsScenario *sc = ams_edit_load ("x.yaml", base, edits, defaults,
 *                                    G_N_ELEMENTS (defaults));
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include "amisim/scenario.h"

typedef struct
{
  const char *marker;
  const char *value;
} AmsEdit;

/* `base` with `edits` applied (each marker everywhere), then the defaults
 * for the markers left; loaded as `name`. NULL (the loader's message
 * printed) when it does not load. */
static inline AmsScenario *
ams_edit_load (const char *name, const char *base, const AmsEdit *edits,
               const AmsEdit *defaults, guint n_defaults)
{
  g_autoptr (GString) text = g_string_new (base);
  for (const AmsEdit *e = edits; e != NULL && e->marker != NULL; e++)
    g_string_replace (text, e->marker, e->value, 0);
  for (guint i = 0; i < n_defaults; i++)
    g_string_replace (text, defaults[i].marker, defaults[i].value, 0);
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data (name, text->str, -1, NULL, 0, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  return sc;
}
