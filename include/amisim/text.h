/* amisim — small text helpers shared by the layers that read user input
 * (the scenario loader, the policy compiler): "did you mean" suggestions
 * and JSON number syntax.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Edit distance (insertions, deletions, substitutions; ASCII case folded). */
guint ams_levenshtein (const char *a, const char *b);

/* The candidate closest to `word` if it is close enough to be a likely
 * typo (distance <= 2 or <= a third of the word's length, and less than the
 * word's length), else NULL. Borrowed from `candidates`. */
const char *ams_suggest (const char *word, const char *const *candidates, guint n);

/* Appends "; did you mean 'X'?" to `msg` when a candidate is close, else,
 * when there are at most `list_max` candidates, "; <list_intro>a, b, c"
 * (list_intro NULL: "expected one of: "; list_max 0: never list). */
void ams_append_suggestion (GString *msg, const char *word, const char *const *candidates,
                            guint n, guint list_max, const char *list_intro);

/* Length of the JSON number at the start of `s` (-?int frac? exp?), or 0
 * if `s` does not start with one. */
gsize ams_json_number_length (const char *s);

/* The cells of a Markdown table row "| a | b \| c | d |", split at
 * unescaped '|' (an escaped one kept as '|'), each stripped; text after
 * the last '|' is a cell only when not empty. Free with g_ptr_array_unref. */
GPtrArray *ams_md_table_cells (const char *line);

G_END_DECLS
