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
  const char *path;     /* with `item`, the path of the list the item is in */
  guint line;
  guint col;
  guint item;           /* 0; or 1 + the item's index in the list `path` names */
} AmsSrcLoc;

/* The document path of `loc`, "pipelines[0].recipe" or, for an item of a
 * list that shares its list's path (the thousands of targetAccountIds),
 * "…targetAccountIds[12]". Free with g_free. */
static inline char *
ams_srcloc_path (const AmsSrcLoc *loc)
{
  if (loc->item == 0)
    return g_strdup (loc->path);
  return g_strdup_printf ("%s[%u]", loc->path, loc->item - 1);
}

G_END_DECLS
