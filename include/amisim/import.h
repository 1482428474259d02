/* amisim — `amisim import`: an estate export (docs/estate-export.md, the
 * layout tools/export-aws-estate writes) turned into a scenario.
 *
 * The scenario is written as YAML text that the scenario loader accepts as
 * it is (the import loads what it wrote before handing it back). What the
 * export holds that amisim cannot model, and what the export lacks that a
 * scenario needs (build and copy durations), are reported as notes, one
 * line each, naming the file they come from: nothing is dropped silently.
 * docs/import.md says what is read from where.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AMS_IMPORT_ERROR (ams_import_error_quark ())
GQuark ams_import_error_quark (void);

typedef enum
{
  AMS_IMPORT_ERROR_NOT_EXPORT, /* the folder is not an estate export */
  AMS_IMPORT_ERROR_BAD_FILE,   /* a file of the layout is not JSON, truncated, or the output
                                  of another operation */
  AMS_IMPORT_ERROR_DANGLING,   /* an ARN or id names nothing in the export */
  AMS_IMPORT_ERROR_SCENARIO,   /* the scenario written is refused by the loader (a bug of the
                                  import, or an estate amisim cannot hold) */
} AmsImportError;

/* What the import could not map, or mapped with an assumption: one line
 * each, "FILE: PATH: what", in the order found. */
typedef struct
{
  GPtrArray *lines; /* of char* */
} AmsImportNotes;

void ams_import_notes_init (AmsImportNotes *notes);
void ams_import_notes_clear (AmsImportNotes *notes);

/* Reads the export in `dir` and appends the scenario's YAML to yaml_out.
 * On error returns FALSE with *error set (a message naming the file, and
 * the JSON path in it where there is one: "FILE:LINE:COL: PATH: what"),
 * and yaml_out unchanged. Notes are appended in either case (notes may be
 * NULL: then they are not kept). */
gboolean ams_import_dir (const char *dir, GString *yaml_out, AmsImportNotes *notes,
                         GError **error);

G_END_DECLS
