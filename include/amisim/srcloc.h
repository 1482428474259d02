/* amisim — source locations.
 *
 * Where something was written: file (or "--set", "--seed", …), 1-based line
 * and column, and the document path ("pipelines[0].recipe.version"). Every
 * entity and document a scenario defines keeps one, so that any later stage
 * (policy compilation, explain, runtime reports) can still point at the
 * source. The strings are owned by whatever owns the located thing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *file;
  const char *path;
  guint line;
  guint col;
} AmsSrcLoc;

G_END_DECLS
