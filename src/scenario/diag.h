/* amisim — scenario loader: collected diagnostics (private to src/scenario/).
 *
 * The loader does not stop at the first problem: every stage (YAML parsing,
 * overrides, validation, reference resolution) adds what it finds to one
 * AmsDiag, and at the end the diagnostics become a single GError whose
 * message has one line per problem, "FILE:LINE:COL: error: PATH: MESSAGE",
 * sorted into document order. Also here: the "did you mean" helper.
 */
#pragma once

#include <glib.h>
#include "amisim/text.h"

G_BEGIN_DECLS

typedef struct _AmsDiag AmsDiag;

/* `main_file` is the scenario's display name; problems in other "files"
 * (command-line origins such as "--set") are listed after the file's. */
AmsDiag *ams_diag_new (const char *main_file);
void ams_diag_free (AmsDiag *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsDiag, ams_diag_free)

/* Adds one problem. `path` NULL or "" means the whole document ("(root)"). */
void ams_diag_add (AmsDiag *d, const char *file, guint line, guint col,
                   const char *path, const char *fmt, ...) G_GNUC_PRINTF (6, 7);
void ams_diag_addv (AmsDiag *d, const char *file, guint line, guint col,
                    const char *path, const char *fmt, va_list ap) G_GNUC_PRINTF (6, 0);

/* Like ams_diag_add, but kept even when many problems are already there,
 * and listed first: for the one that explains why the loader gave up. */
void ams_diag_add_forced (AmsDiag *d, const char *file, guint line, guint col,
                          const char *path, const char *fmt, ...) G_GNUC_PRINTF (6, 7);

/* Number of problems added so far. */
guint ams_diag_count (const AmsDiag *d);

/* If any problem was added: sets *error (AMS_SCENARIO_ERROR, `code`) to the
 * sorted, formatted list and returns TRUE. Otherwise returns FALSE. */
gboolean ams_diag_take_error (AmsDiag *d, int code, GError **error);

/* Reads a whole regular file (NUL-terminated; *len excludes the NUL) of at
 * most AMS_LIMIT_INPUT_BYTES. NULL with *error set (AMS_SCENARIO_ERROR_IO,
 * "FILE:1:1: error: (file): …") when it cannot be read, is larger, or is
 * not a regular file (a folder, a FIFO, a device: refused before reading,
 * without waiting for a writer). */
char *ams_read_file (const char *filename, gsize *len, GError **error);
/* `-` is standard input, named so in messages; any other name is itself. */
#define AMS_STDIN_NAME "<stdin>"
const char *ams_input_name (const char *filename);

G_END_DECLS
