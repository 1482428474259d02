/* amisim — scenario loader: table-driven validation of the YAML tree
 * (private to src/scenario/).
 *
 * Each mapping of the format has a table of rows {key, handler, flags,
 * hint}; ams_check_mapping() hands every key written in the mapping to its
 * row, reports unknown keys (with "did you mean"), keys not supported yet
 * and missing required keys, and goes on after a problem so that one pass
 * finds them all. Handlers read values with the ams_get_* helpers, which
 * report "expected …, got …" at the value's position and return FALSE.
 * The document path of the value being read is kept in AmsCheck.path.
 */
#pragma once

#include <glib.h>
#include "amisim/scenario.h"
#include "diag.h"
#include "ynode.h"
#include "yvalue.h"

G_BEGIN_DECLS

typedef struct
{
  AmsDiag *diag;
  AmsScenario *sc;       /* strings are interned in sc->strings */
  GString *path;         /* of the node being checked; "" is the root */
  GHashTable *regions;   /* region name -> its name node (first definition) */
  GHashTable *accounts;  /* account id -> its id node (first definition) */
  GPtrArray *region_names;  /* the keys of `regions` in document order */
  GPtrArray *account_names; /* the keys of `accounts` in document order */
  GHashTable *pipelines; /* pipeline name -> its name node (first definition) */
  guint64 policy_text_bytes;   /* of the policy documents written as strings that
                                   aliases repeat, each use counted, so far */
  gboolean policy_text_refused; /* past their limit: reported once */
  GHashTable *target_lists; /* targetAccountIds node -> its GArray of AmsScRef, read once and
                               shared by every use an alias makes of it */
} AmsCheck;

typedef void (*AmsFieldFn) (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                            gpointer target);

typedef enum
{
  AMS_FIELD_REQUIRED = 1 << 0, /* hint: what it is, with an example */
  AMS_FIELD_NOT_YET = 1 << 1,  /* hint: the feature it comes with; null is accepted */
} AmsFieldFlags;

typedef struct
{
  const char *key;
  AmsFieldFn fn;   /* NULL: accepted, not read (metadata) */
  guint flags;
  const char *hint;
} AmsField;

typedef enum
{
  AMS_MAP_IGNORE_X = 1 << 0, /* skip keys starting with "x-" (anchor storage) */
} AmsMapFlags;

/* Checks that `node` is a mapping and hands each pair to the row of its
 * key (`fields` ends with a row whose key is NULL). A null value of an
 * optional key is the same as leaving the key out. Returns FALSE, after
 * reporting, if `node` is not a mapping. */
gboolean ams_check_mapping (AmsCheck *c, const AmsYNode *node, const AmsField *fields,
                            guint flags, gpointer target);

/* Checks that `node` is a sequence and calls `fn` for each item with the
 * path extended by [i]. Returns FALSE, after reporting, if it is not. */
typedef void (*AmsItemFn) (AmsCheck *c, guint index, const AmsYNode *item, gpointer target);
gboolean ams_check_sequence (AmsCheck *c, const AmsYNode *node, AmsItemFn fn, gpointer target);

/* Path handling: push returns a mark to pop back to. */
gsize ams_check_push_key (AmsCheck *c, const char *key);
gsize ams_check_push_index (AmsCheck *c, guint index);
void ams_check_pop (AmsCheck *c, gsize mark);

/* Reports a problem at `at`'s position, at the current path. */
void ams_check_error (AmsCheck *c, const AmsYNode *at, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* Reports a problem at a location kept from the walk (a reference resolved
 * after the whole document was read). */
void ams_check_error_at (AmsCheck *c, const AmsSrcLoc *loc, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

/* A string owned by the scenario. */
const char *ams_check_intern (AmsCheck *c, const char *s);

/* Position of `n` with the current path, strings owned by the scenario. */
void ams_check_loc (AmsCheck *c, const AmsYNode *n, AmsSrcLoc *loc);
/* The same for an item of a sequence (the current path ends in its "[i]"):
 * the list's path is interned once in *list_path (NULL at the first item)
 * and shared by its items, which keep their index (AmsSrcLoc.item). */
void ams_check_loc_item (AmsCheck *c, const AmsYNode *n, const char **list_path,
                         AmsSrcLoc *loc);

/* Reports a value not supported yet: "WHAT is not supported yet (WHY); INSTEAD",
 * e.g. why = "it comes with the retry client mode", instead = "use queue". */
void ams_check_not_yet (AmsCheck *c, const AmsYNode *at, const char *what,
                        const char *why, const char *instead);

/* ---- values ---- */

/* A non-null scalar; `expected` names what was wanted in the message. Every
 * reader below goes through it: a name or value holding a control character
 * (ams_ynode_find_control: a tab, a line feed, NUL, ...) is refused here,
 * once for all of them. */
gboolean ams_get_scalar (AmsCheck *c, const AmsYNode *n, const char *expected, const char **text);
/* A string of min_chars..max_chars characters (0 = no bound), owned by the scenario. */
gboolean ams_get_string (AmsCheck *c, const AmsYNode *n, guint min_chars, guint max_chars,
                         const char **out);
/* The same for free text (a description, a component's document): it may
 * hold tabs and line feeds, no other control character. */
gboolean ams_get_text (AmsCheck *c, const AmsYNode *n, guint min_chars, guint max_chars,
                       const char **out);
/* A whole number written plainly (digits only). */
gboolean ams_get_uint (AmsCheck *c, const AmsYNode *n, guint64 min, guint64 max, guint64 *out);
/* true or false. */
gboolean ams_get_bool (AmsCheck *c, const AmsYNode *n, gboolean *out);
gboolean ams_get_duration (AmsCheck *c, const AmsYNode *n, AmsTime *out);
gboolean ams_get_time (AmsCheck *c, const AmsYNode *n, AmsTime *out);
/* Replaces *out (cleared first) only on success. */
gboolean ams_get_dist (AmsCheck *c, const AmsYNode *n, AmsDist *out);
gboolean ams_get_rate (AmsCheck *c, const AmsYNode *n, double *per_second);
gboolean ams_get_size (AmsCheck *c, const AmsYNode *n, uint64_t *bytes);
gboolean ams_get_throughput (AmsCheck *c, const AmsYNode *n, double *bytes_per_second);
/* A number from 0 to 1, written plainly (0.02, 1e-3). */
gboolean ams_get_probability (AmsCheck *c, const AmsYNode *n, double *out);
/* A number written plainly (0.05, 1e-3, not quoted), from `min` to `max`
 * (max INFINITY: no upper bound). */
gboolean ams_get_number (AmsCheck *c, const AmsYNode *n, double min, double max, double *out);
/* One of `names`; *out is its index. */
gboolean ams_get_enum (AmsCheck *c, const AmsYNode *n, const char *const *names, guint n_names,
                       guint *out);

/* ---- patterns (compiled once, verbatim from the AWS API models) ---- */

typedef enum
{
  AMS_PAT_REGION,
  AMS_PAT_ACCOUNT_ID,
  AMS_PAT_RESOURCE_NAME,
  AMS_PAT_AMI_NAME,
  AMS_PAT_VERSION,
  AMS_PAT_TIMEZONE,
  AMS_PAT_TAG_KEY,
  AMS_PAT_DIST_CONFIG_ARN,
  AMS_PAT_ORG_ID,
  AMS_PAT_ROOT_ID,
  AMS_PAT_OU_ID,
  AMS_PAT_ORG_ARN,
  AMS_PAT_OU_ARN,
  AMS_PAT_KMS_KEY_ID,
  AMS_PAT_KMS_ALIAS,
  AMS_PAT_KMS_KEY_REF,
  AMS_PAT_ROLE_NAME,
  AMS_PAT_LAUNCH_TEMPLATE_ID,
  AMS_PAT_SSM_PARAMETER_NAME,
  AMS_PAT_COUNT,
} AmsPattern;

gboolean ams_pattern_match (AmsPattern p, const char *text, gsize len);
/* What the pattern accepts, for messages ("a region name like us-east-1"). */
const char *ams_pattern_describe (AmsPattern p);
/* A string matching the pattern, owned by the scenario. */
gboolean ams_get_pattern (AmsCheck *c, const AmsYNode *n, AmsPattern p, const char **out);
/* The same into a reference, with its position (for errors found later). */
gboolean ams_get_ref (AmsCheck *c, const AmsYNode *n, AmsPattern p, AmsScRef *out);

/* ---- embedded documents ---- */

/* An IAM policy document written at `n` (a mapping, in JSON flow style or
 * block YAML; or a string holding it as JSON, quoted or a block scalar),
 * compiled as `kind` and named `name` in verdicts. Problems (YAML shape or
 * IAM grammar) are reported at their positions, those inside a string at
 * the string's with the line and column in it (ams_policy_compile_string);
 * NULL then. Strings repeated by aliases hold at most 8 MiB of text
 * together, each use counted (docs/limits.md). */
AmsPolicy *ams_get_policy (AmsCheck *c, const AmsYNode *n, AmsPolicyKind kind, const char *name);

/* An AmsPolicyErrorFn that reports into the check (user: the AmsCheck). */
void ams_check_policy_report (void *user, const AmsSrcLoc *loc, const char *message);

/* A sequence of scalars matching `p` into `out` (of AmsScRef), at most
 * `max_items` (0: no limit) and at least `min_items`; duplicates are
 * reported as errors when `unique`. */
gboolean ams_get_ref_list (AmsCheck *c, const AmsYNode *n, AmsPattern p, guint min_items,
                           guint max_items, gboolean unique, GArray *out);

/* ---- the supply chain's values (arn.c) ---- */

/* A semantic version x.y.z, each part at most 2^30-1, owned by the scenario. */
gboolean ams_get_semver (AmsCheck *c, const AmsYNode *n, const char **out);

/* Image Builder ARNs: what a place accepts, per resource type (indexed by
 * AmsScResType): a build version (…/1.0.0/1), a version (…/1.0.0), a version
 * pattern with x wildcards (…/1.x.x); 0 refuses the type. */
#define AMS_ARN_BUILD (1u << 0)
#define AMS_ARN_VERSION (1u << 1)
#define AMS_ARN_PATTERN (1u << 2)
typedef struct
{
  guint8 forms[4];
  const char *intro;  /* for several types: "an Image Builder ARN RAM can share" */
  const char *note;   /* appended when a form is refused: why this place wants that form */
} AmsArnSpec;

/* What RAM takes: component and image build versions, recipe versions. */
extern const AmsArnSpec ams_arn_spec_ram;

/* Reads the Image Builder ARN at `n` into `out` (strings: the scenario's),
 * checked against `spec`; reports with an accepted form and returns FALSE
 * otherwise. */
gboolean ams_get_ib_arn (AmsCheck *c, const AmsYNode *n, const AmsArnSpec *spec,
                         AmsScResRef *out);
/* A list of such ARNs (unique, at least `min_items`) appended to `out` (of
 * AmsScResRef); FALSE if anything was wrong. */
gboolean ams_get_ib_arn_list (AmsCheck *c, const AmsYNode *n, const AmsArnSpec *spec,
                              guint min_items, GArray *out);
/* RAM principals for Image Builder resources: 12-digit account ids,
 * organization ARNs, OU ARNs (unique, at least `min_items`), into `out` (of
 * AmsScRef). */
gboolean ams_get_principals (AmsCheck *c, const AmsYNode *n, guint min_items, GArray *out);

/* ---- tags ---- */

#define AMS_MAX_TAGS 50 /* AWS: tags per resource */

/* An empty array of AmsScTag (strings: the scenario's). */
GArray *ams_check_tags_new (void);

/* A tag map written at `n` ({name: value, …}, min_tags to 50 tags; keys of
 * 1 to 128 characters not starting with aws:, values of 0 to 256, null is
 * "") appended to `out` (of AmsScTag). Each bad tag is reported at its
 * path; FALSE if anything was wrong. */
gboolean ams_get_tags (AmsCheck *c, const AmsYNode *n, guint min_tags, GArray *out);

G_END_DECLS
