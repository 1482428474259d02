/* amisim — scenario loader: the table-driven walk over the YAML tree and
 * the typed readers of scalar values.
 *
 * Every message says what was expected and what was found, quoting scalars
 * as written: `expected a whole number from 1 to 100000, got "abc"`,
 * `expected a mapping, got a sequence`. YAML's own typing is respected
 * where it matters: a quoted "50" is a string, not a number, and a boolean
 * is true or false (not yes/on, which YAML 1.1 and 1.2 disagree about).
 */
#include "check.h"

#include <math.h>
#include <string.h>
#include "input-limits.h"
#include "units.h"

/* ---- paths and reporting ---- */

gsize
ams_check_push_key (AmsCheck *c, const char *key)
{
  gsize mark = c->path->len;
  if (mark > 0)
    g_string_append_c (c->path, '.');
  g_autofree char *bad = ams_ynode_find_control (key, strlen (key), FALSE);
  if (bad != NULL)
    {
      /* refused where it was read; escaped here, for paths are printed */
      g_autofree char *esc = g_strescape (key, NULL);
      g_string_append (c->path, esc);
    }
  else
    g_string_append (c->path, key);
  return mark;
}

gsize
ams_check_push_index (AmsCheck *c, guint index)
{
  gsize mark = c->path->len;
  g_string_append_printf (c->path, "[%u]", index);
  return mark;
}

void
ams_check_pop (AmsCheck *c, gsize mark)
{
  g_string_truncate (c->path, mark);
}

void
ams_check_error (AmsCheck *c, const AmsYNode *at, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  ams_diag_addv (c->diag, at->file, at->line, at->col, c->path->str, fmt, ap);
  va_end (ap);
}

const char *
ams_check_intern (AmsCheck *c, const char *s)
{
  return s != NULL ? g_string_chunk_insert_const (c->sc->strings, s) : NULL;
}

void
ams_check_loc (AmsCheck *c, const AmsYNode *n, AmsSrcLoc *loc)
{
  loc->file = ams_check_intern (c, n->file);
  /* paths are nearly all different: stored, not looked up */
  loc->path = g_string_chunk_insert (c->sc->strings, c->path->len > 0 ? c->path->str : "(root)");
  loc->line = n->line;
  loc->col = n->col;
  loc->item = 0;
}

void
ams_check_loc_item (AmsCheck *c, const AmsYNode *n, const char **list_path, AmsSrcLoc *loc)
{
  const char *path = c->path->str;
  const char *bracket = strrchr (path, '[');
  g_return_if_fail (bracket != NULL);
  if (*list_path == NULL)
    {
      g_autofree char *list = g_strndup (path, (gsize) (bracket - path));
      *list_path = g_string_chunk_insert_const (c->sc->strings, list);
    }
  loc->file = ams_check_intern (c, n->file);
  loc->path = *list_path;
  loc->line = n->line;
  loc->col = n->col;
  loc->item = (guint) g_ascii_strtoull (bracket + 1, NULL, 10) + 1;
}

void
ams_check_not_yet (AmsCheck *c, const AmsYNode *at, const char *what, const char *why,
                   const char *instead)
{
  ams_check_error (c, at, "%s is not supported yet (%s); %s", what, why, instead);
}

/* `got …` for messages: the scalar quoted as written, or the node's kind. */
static char *
found (const AmsYNode *n)
{
  if (n->kind != AMS_YNODE_SCALAR || ams_ynode_is_null (n))
    return g_strdup (ams_ynode_describe (n));
  g_autofree char *esc = g_strescape (n->text, NULL);
  return g_strdup_printf ("\"%s\"", esc);
}

/* ---- collections ---- */

static void
unknown_key (AmsCheck *c, const AmsYNode *key, const AmsField *fields, guint n_fields)
{
  g_autofree const char **names = g_new (const char *, n_fields);
  for (guint i = 0; i < n_fields; i++)
    names[i] = fields[i].key;
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "unknown key '%s'", key->text);
  ams_append_suggestion (msg, key->text, names, n_fields, 8, NULL);
  ams_check_error (c, key, "%s", msg->str);
}

gboolean
ams_check_mapping (AmsCheck *c, const AmsYNode *node, const AmsField *fields, guint flags,
                   gpointer target)
{
  if (node->kind != AMS_YNODE_MAPPING)
    {
      g_autofree char *got = found (node);
      ams_check_error (c, node, "expected a mapping, got %s", got);
      return FALSE;
    }
  guint n_fields = 0;
  while (fields[n_fields].key != NULL)
    n_fields++;
  g_autofree gboolean *seen = g_new0 (gboolean, n_fields);

  for (guint i = 0; i < node->pairs->len; i++)
    {
      const AmsYPair *p = &g_array_index (node->pairs, AmsYPair, i);
      if (p->key->kind != AMS_YNODE_SCALAR)
        {
          ams_check_error (c, p->key, "expected a key (a plain word), got %s",
                           ams_ynode_describe (p->key));
          continue;
        }
      if ((flags & AMS_MAP_IGNORE_X) && g_str_has_prefix (p->key->text, "x-"))
        continue;
      if (p->key->controls)
        continue; /* reported where it was read */
      g_autofree char *bad = ams_ynode_find_control (p->key->text, p->key->len, FALSE);
      if (bad != NULL)
        {
          ams_check_error (c, p->key, "%s of a key; a key holds no control characters", bad);
          continue;
        }
      guint row = 0;
      while (row < n_fields && strcmp (fields[row].key, p->key->text) != 0)
        row++;
      gsize mark = ams_check_push_key (c, p->key->text);
      if (row == n_fields)
        unknown_key (c, p->key, fields, n_fields);
      else
        {
          const AmsField *f = &fields[row];
          seen[row] = TRUE;
          if (ams_ynode_is_null (p->value) && !(f->flags & AMS_FIELD_REQUIRED))
            ; /* null: as if not written */
          else if (f->flags & AMS_FIELD_NOT_YET)
            ams_check_error (c, p->key,
                             "'%s' is not supported yet (it comes with %s); "
                             "remove it to run this scenario", f->key, f->hint);
          else if (ams_ynode_is_null (p->value))
            {
              if (f->hint != NULL)
                ams_check_error (c, p->value, "'%s' needs a value (%s)", f->key, f->hint);
              else
                ams_check_error (c, p->value, "'%s' needs a value", f->key);
            }
          else if (f->fn != NULL)
            f->fn (c, p->key, p->value, target);
        }
      ams_check_pop (c, mark);
    }

  for (guint row = 0; row < n_fields; row++)
    {
      if (seen[row] || !(fields[row].flags & AMS_FIELD_REQUIRED))
        continue;
      gsize mark = ams_check_push_key (c, fields[row].key);
      if (fields[row].hint != NULL)
        ams_check_error (c, node, "missing required key '%s' (%s)", fields[row].key,
                         fields[row].hint);
      else
        ams_check_error (c, node, "missing required key '%s'", fields[row].key);
      ams_check_pop (c, mark);
    }
  return TRUE;
}

gboolean
ams_check_sequence (AmsCheck *c, const AmsYNode *node, AmsItemFn fn, gpointer target)
{
  if (node->kind != AMS_YNODE_SEQUENCE)
    {
      g_autofree char *got = found (node);
      ams_check_error (c, node, "expected a sequence, got %s", got);
      return FALSE;
    }
  for (guint i = 0; i < node->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (node->items, i);
      gsize mark = ams_check_push_index (c, i);
      fn (c, i, item, target);
      ams_check_pop (c, mark);
    }
  return TRUE;
}

/* ---- scalars ---- */

/* Every value read goes through here: a non-null scalar without the
 * control characters it may not hold (free text: tabs and line feeds are
 * fine; anything else: none). */
static gboolean
get_scalar (AmsCheck *c, const AmsYNode *n, const char *expected, gboolean free_text,
            const char **text)
{
  if (n->kind != AMS_YNODE_SCALAR || ams_ynode_is_null (n))
    {
      ams_check_error (c, n, "expected %s, got %s", expected, ams_ynode_describe (n));
      return FALSE;
    }
  if (n->controls)
    return FALSE; /* reported where it was read */
  g_autofree char *bad = ams_ynode_find_control (n->text, n->len, free_text);
  if (bad != NULL)
    {
      ams_check_error (c, n, "expected %s, got one with %s; names and values hold no control "
                       "characters (free text such as a description may hold tabs and line "
                       "breaks)", expected, bad);
      return FALSE;
    }
  *text = n->text;
  return TRUE;
}

gboolean
ams_get_scalar (AmsCheck *c, const AmsYNode *n, const char *expected, const char **text)
{
  return get_scalar (c, n, expected, FALSE, text);
}

/* Length in characters from min_chars to max_chars (0: no bound). */
static gboolean
check_chars (AmsCheck *c, const AmsYNode *n, const char *text, guint min_chars, guint max_chars)
{
  glong chars = g_utf8_strlen (text, -1);
  if (min_chars > 0 && chars < (glong) min_chars)
    {
      ams_check_error (c, n, "expected at least %u character%s, got %ld", min_chars,
                       min_chars == 1 ? "" : "s", chars);
      return FALSE;
    }
  if (max_chars > 0 && chars > (glong) max_chars)
    {
      ams_check_error (c, n, "expected at most %u characters, got %ld", max_chars, chars);
      return FALSE;
    }
  return TRUE;
}

gboolean
ams_get_string (AmsCheck *c, const AmsYNode *n, guint min_chars, guint max_chars,
                const char **out)
{
  const char *text;
  if (!get_scalar (c, n, "a string", FALSE, &text)
      || !check_chars (c, n, text, min_chars, max_chars))
    return FALSE;
  *out = ams_check_intern (c, text);
  return TRUE;
}

gboolean
ams_get_text (AmsCheck *c, const AmsYNode *n, guint min_chars, guint max_chars,
              const char **out)
{
  const char *text;
  if (!get_scalar (c, n, "a string", TRUE, &text)
      || !check_chars (c, n, text, min_chars, max_chars))
    return FALSE;
  *out = ams_check_intern (c, text);
  return TRUE;
}

gboolean
ams_get_uint (AmsCheck *c, const AmsYNode *n, guint64 min, guint64 max, guint64 *out)
{
  g_autofree char *expected = g_strdup_printf ("a whole number from %" G_GUINT64_FORMAT
                                               " to %" G_GUINT64_FORMAT, min, max);
  const char *text;
  if (!ams_get_scalar (c, n, expected, &text))
    return FALSE;
  g_autofree char *got = found (n);
  if (ams_ynode_is_string (n))
    {
      ams_check_error (c, n, "expected %s, got the string %s (numbers are written "
                       "without quotes)", expected, got);
      return FALSE;
    }
  gboolean digits = text[0] != '\0';
  for (const char *p = text; *p != '\0'; p++)
    digits = digits && g_ascii_isdigit (*p);
  guint64 v = 0;
  gboolean big = FALSE;
  for (const char *p = text; digits && *p != '\0'; p++)
    {
      guint d = (guint) (*p - '0');
      if (v > (G_MAXUINT64 - d) / 10)
        big = TRUE;
      else
        v = v * 10 + d;
    }
  if (!digits || big || v < min || v > max)
    {
      ams_check_error (c, n, "expected %s, got %s", expected, got);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
ams_get_bool (AmsCheck *c, const AmsYNode *n, gboolean *out)
{
  const char *text;
  if (!ams_get_scalar (c, n, "true or false", &text))
    return FALSE;
  g_autofree char *got = found (n);
  if (ams_ynode_is_string (n))
    {
      ams_check_error (c, n, "expected true or false, got the string %s (write true or "
                       "false without quotes)", got);
      return FALSE;
    }
  if (strcmp (text, "true") == 0)
    *out = TRUE;
  else if (strcmp (text, "false") == 0)
    *out = FALSE;
  else
    {
      ams_check_error (c, n, "expected true or false, got %s", got);
      return FALSE;
    }
  return TRUE;
}

/* Runs a units.c parser on the scalar and reports its message. */
#define PARSE_WITH(parser, what, ...)                          \
  G_STMT_START                                                 \
  {                                                            \
    const char *text_;                                         \
    GError *e_ = NULL;                                         \
    if (!ams_get_scalar (c, n, what, &text_))                  \
      return FALSE;                                            \
    if (!parser (text_, __VA_ARGS__, &e_))                     \
      {                                                        \
        ams_check_error (c, n, "%s", e_->message);             \
        g_error_free (e_);                                     \
        return FALSE;                                          \
      }                                                        \
    return TRUE;                                               \
  }                                                            \
  G_STMT_END

gboolean
ams_get_duration (AmsCheck *c, const AmsYNode *n, AmsTime *out)
{
  PARSE_WITH (ams_parse_duration, "a duration like 90s, 25m or 1h30m", out);
}

gboolean
ams_get_time (AmsCheck *c, const AmsYNode *n, AmsTime *out)
{
  PARSE_WITH (ams_parse_time, "an ISO 8601 time like 2026-01-05T00:00:00Z", out);
}

gboolean
ams_get_rate (AmsCheck *c, const AmsYNode *n, double *per_second)
{
  PARSE_WITH (ams_parse_rate, "a rate like 45/m", per_second);
}

gboolean
ams_get_size (AmsCheck *c, const AmsYNode *n, uint64_t *bytes)
{
  PARSE_WITH (ams_parse_size, "a size like 8GiB", bytes);
}

gboolean
ams_get_throughput (AmsCheck *c, const AmsYNode *n, double *bytes_per_second)
{
  PARSE_WITH (ams_parse_throughput, "a throughput like 500MiB/s", bytes_per_second);
}

gboolean
ams_get_dist (AmsCheck *c, const AmsYNode *n, AmsDist *out)
{
  const char *text;
  if (!ams_get_scalar (c, n, "a duration or a distribution like lognormal(mean=45m, sd=10m)",
                       &text))
    return FALSE;
  AmsDist d = { 0 };
  GError *e = NULL;
  if (!ams_parse_dist (text, &d, &e))
    {
      ams_check_error (c, n, "%s", e->message);
      g_error_free (e);
      ams_dist_clear (&d);
      return FALSE;
    }
  ams_dist_clear (out);
  *out = d;
  return TRUE;
}

gboolean
ams_get_enum (AmsCheck *c, const AmsYNode *n, const char *const *names, guint n_names, guint *out)
{
  g_autoptr (GString) expected = g_string_new (n_names > 2 ? "one of " : "");
  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (expected, "%s%s", i == 0 ? "" : i + 1 == n_names ? " or " : ", ",
                            names[i]);
  const char *text;
  if (!ams_get_scalar (c, n, expected->str, &text))
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], text) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_autofree char *got = found (n);
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "expected %s, got %s", expected->str, got);
  const char *s = ams_suggest (text, names, n_names);
  if (s != NULL)
    g_string_append_printf (msg, "; did you mean '%s'?", s);
  ams_check_error (c, n, "%s", msg->str);
  return FALSE;
}

/* ---- patterns ---- */

typedef struct
{
  const char *regex;
  const char *what;
} PatternDef;

/* Verbatim from shared/aws/api_constraints.json where AWS defines one. */
static const PatternDef patterns[AMS_PAT_COUNT] = {
  [AMS_PAT_REGION] = { "^[a-z]{2}(-[a-z]+)+-[0-9]+$", "a region name like us-east-1" },
  [AMS_PAT_ACCOUNT_ID] = { "^[0-9]{12}$", "a 12-digit account id like \"111111111111\"" },
  [AMS_PAT_RESOURCE_NAME] = { "^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$",
                              "a name of 3 to 128 letters, digits, '-', '_' or inner spaces" },
  [AMS_PAT_AMI_NAME] = { "^[-_A-Za-z0-9{][-_A-Za-z0-9\\s:{}\\.]+[-_A-Za-z0-9}]$",
                         "an AMI name of 3 to 127 letters, digits, spaces or - _ : . { }" },
  [AMS_PAT_VERSION] = { "^[0-9]+\\.[0-9]+\\.[0-9]+$", "a version major.minor.patch like 1.0.0" },
  /* AWS's Timezone pattern is not anchored; anchored here */
  [AMS_PAT_TIMEZONE] = { "^[a-zA-Z0-9]{2,}(?:\\/[a-zA-Z0-9-_+]+)*$",
                         "an IANA time zone like Etc/UTC or America/Los_Angeles" },
  [AMS_PAT_TAG_KEY] = { "^(?!aws:)[a-zA-Z0-9\\s_.:/=+\\-@]*$",
                        "a tag key of letters, digits, spaces or _ . : / = + - @ "
                        "that does not start with aws:" },
  [AMS_PAT_DIST_CONFIG_ARN] = {
    "^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):distribution-configuration/[a-z0-9-_]+$",
    "a distribution configuration ARN like "
    "arn:aws:imagebuilder:us-east-1:111111111111:distribution-configuration/fanout" },
  [AMS_PAT_ORG_ID] = { "^o-[a-z0-9]{10,32}$", "an organization id like o-a1b2c3d4e5" },
  [AMS_PAT_ROOT_ID] = { "^r-[0-9a-z]{4,32}$", "a root id like r-a1b2" },
  [AMS_PAT_OU_ID] = { "^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$", "an OU id like ou-a1b2-aaaaaaaa" },
  /* AWS's OrganizationArn and OrganizationalUnitArn lack a final $; anchored here */
  [AMS_PAT_ORG_ARN] = { "^arn:aws[^:]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$",
                        "an organization ARN like "
                        "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5" },
  [AMS_PAT_OU_ARN] = {
    "^arn:aws[^:]*:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$",
    "an OU ARN like arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-aaaaaaaa" },
  [AMS_PAT_KMS_KEY_ID] = { "^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                           "|mrk-[0-9a-f]{32})$",
                           "a KMS key id like 1234abcd-12ab-34cd-56ef-1234567890ab" },
  /* AliasNameType, with the alias/ prefix every alias has */
  [AMS_PAT_KMS_ALIAS] = { "^alias/[a-zA-Z0-9:/_-]+$", "a KMS alias like alias/ami-factory" },
  [AMS_PAT_KMS_KEY_REF] = {
    "^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}"
    "|alias/[a-zA-Z0-9:/_-]+"
    "|arn:aws[^:]*:kms:[a-z0-9-]+:[0-9]{12}:(?:key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
    "[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})|alias/[a-zA-Z0-9:/_-]+))$",
    "a KMS key reference: key id, alias/…, key ARN or alias ARN" },
  [AMS_PAT_ROLE_NAME] = { "^[\\w+=,.@-]{1,64}$",
                          "an IAM role name of 1 to 64 letters, digits or + = , . @ _ -" },
  [AMS_PAT_LAUNCH_TEMPLATE_ID] = { "^lt-[a-z0-9-_]{17}$", "a launch template id like lt-0123456789abcdef0" },
  [AMS_PAT_SSM_PARAMETER_NAME] = { "^[a-zA-Z0-9_.\\-\\/]{1,1011}$",
                                   "a parameter name of letters, digits and _ . - / like "
                                   "/golden/ami/latest" },
};

static GRegex *
regex_get (AmsPattern p)
{
  static gsize once[AMS_PAT_COUNT];
  static GRegex *compiled[AMS_PAT_COUNT];
  if (g_once_init_enter (&once[p]))
    {
      GError *e = NULL;
      compiled[p] = g_regex_new (patterns[p].regex, G_REGEX_DOLLAR_ENDONLY, 0, &e);
      g_assert_no_error (e);
      g_once_init_leave (&once[p], 1);
    }
  return compiled[p];
}

gboolean
ams_pattern_match (AmsPattern p, const char *text, gsize len)
{
  g_return_val_if_fail (p < AMS_PAT_COUNT, FALSE);
  return g_regex_match_full (regex_get (p), text, (gssize) len, 0, 0, NULL, NULL);
}

const char *
ams_pattern_describe (AmsPattern p)
{
  g_return_val_if_fail (p < AMS_PAT_COUNT, NULL);
  return patterns[p].what;
}

gboolean
ams_get_pattern (AmsCheck *c, const AmsYNode *n, AmsPattern p, const char **out)
{
  const char *text;
  if (!ams_get_scalar (c, n, patterns[p].what, &text))
    return FALSE;
  if (!ams_pattern_match (p, text, n->len))
    {
      g_autofree char *got = found (n);
      ams_check_error (c, n, "expected %s, got %s", patterns[p].what, got);
      return FALSE;
    }
  *out = ams_check_intern (c, text);
  return TRUE;
}

gboolean
ams_get_ref (AmsCheck *c, const AmsYNode *n, AmsPattern p, AmsScRef *out)
{
  if (!ams_get_pattern (c, n, p, &out->value))
    return FALSE;
  ams_check_loc (c, n, &out->loc);
  return TRUE;
}

/* ---- embedded documents ---- */

void
ams_check_policy_report (void *user, const AmsSrcLoc *loc, const char *message)
{
  AmsCheck *c = user;
  g_autofree char *path = ams_srcloc_path (loc);
  ams_diag_add (c->diag, loc->file, loc->line, loc->col, path, "%s", message);
}

/* A policy string used again through an alias counts, each use, against
 * AMS_LIMIT_POLICY_ALIAS_TEXT_BYTES (input-limits.h, docs/limits.md);
 * past it, FALSE, said once. */
static gboolean
policy_text_within_budget (AmsCheck *c, const AmsYNode *n)
{
  if (n->refs <= 1)
    return TRUE;
  if (c->policy_text_refused)
    return FALSE;
  c->policy_text_bytes += n->len;
  if (c->policy_text_bytes <= AMS_LIMIT_POLICY_ALIAS_TEXT_BYTES)
    return TRUE;
  c->policy_text_refused = TRUE;
  g_autofree char *limit = ams_ylimit_size_text (AMS_LIMIT_POLICY_ALIAS_TEXT_BYTES);
  ams_check_error (c, n, "the policy documents written as JSON strings and repeated by aliases "
                   "hold more than %s of text together (each use counts), the limit; write "
                   "the document as a mapping, or once per use", limit);
  return FALSE;
}

/* A policy document written as a string: the JSON text AWS gives
 * (get-key-policy's Policy, describe-policy's Policy.Content). */
static AmsPolicy *
get_string_policy (AmsCheck *c, const AmsYNode *n, AmsPolicyKind kind, const char *name)
{
  if (n->controls)
    return NULL; /* reported where it was read */
  /* Line feeds and tabs are the JSON text's white space (and refused by
   * the JSON reader inside its strings); nothing else may pass, a NUL
   * least of all: the text would end there. */
  g_autofree char *bad = ams_ynode_find_control (n->text, n->len, TRUE);
  if (bad != NULL)
    {
      ams_check_error (c, n, "expected a policy document, got a string with %s; a policy "
                       "document holds no control characters", bad);
      return NULL;
    }
  if (!policy_text_within_budget (c, n))
    return NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_doc_new ();
  AmsValue *text = ams_value_from_ynode (doc, n, c->path->str);
  return ams_policy_compile_string (text, kind, name, ams_check_policy_report, c);
}

AmsPolicy *
ams_get_policy (AmsCheck *c, const AmsYNode *n, AmsPolicyKind kind, const char *name)
{
  if (n->kind == AMS_YNODE_SCALAR && ams_ynode_is_string (n))
    return get_string_policy (c, n, kind, name);
  if (n->kind != AMS_YNODE_MAPPING)
    {
      g_autofree char *got = found (n);
      ams_check_error (c, n,
                       "expected a policy document (a mapping such as {\"Version\": "
                       "\"2012-10-17\", \"Statement\": [...]}, or the same as a JSON string), "
                       "got %s", got);
      return NULL;
    }
  g_autoptr (AmsValueDoc) doc = ams_value_doc_new ();
  AmsValue *root = ams_value_from_ynode (doc, n, c->path->str);
  return ams_policy_compile (root, kind, name, ams_check_policy_report, c);
}

gboolean
ams_get_ref_list (AmsCheck *c, const AmsYNode *n, AmsPattern p, guint min_items, guint max_items,
                  gboolean unique, GArray *out)
{
  if (n->kind != AMS_YNODE_SEQUENCE)
    {
      g_autofree char *got = found (n);
      ams_check_error (c, n, "expected a list of %s, got %s", patterns[p].what, got);
      return FALSE;
    }
  guint len = n->items->len;
  if (len < min_items || (max_items > 0 && len > max_items))
    {
      if (max_items > 0)
        ams_check_error (c, n, "expected %u to %u items, got %u", min_items, max_items, len);
      else
        ams_check_error (c, n, "expected at least %u item%s, got %u", min_items,
                         min_items == 1 ? "" : "s", len);
      return FALSE;
    }
  g_autoptr (GHashTable) seen = unique ? g_hash_table_new (g_str_hash, g_str_equal) : NULL;
  gboolean ok = TRUE;
  for (guint i = 0; i < len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (n->items, i);
      gsize mark = ams_check_push_index (c, i);
      AmsScRef ref = { 0 };
      if (ams_get_pattern (c, item, p, &ref.value))
        {
          const AmsYNode *first = seen ? g_hash_table_lookup (seen, ref.value) : NULL;
          if (first != NULL)
            {
              ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", ref.value,
                               first->line, first->col);
              ok = FALSE;
            }
          else
            {
              if (seen)
                g_hash_table_insert (seen, (gpointer) ref.value, (gpointer) item);
              ams_check_loc (c, item, &ref.loc);
              g_array_append_val (out, ref);
            }
        }
      else
        ok = FALSE;
      ams_check_pop (c, mark);
    }
  return ok;
}

void
ams_check_error_at (AmsCheck *c, const AmsSrcLoc *loc, const char *fmt, ...)
{
  g_autofree char *path = ams_srcloc_path (loc);
  va_list ap;
  va_start (ap, fmt);
  ams_diag_addv (c->diag, loc->file, loc->line, loc->col, path, fmt, ap);
  va_end (ap);
}

gboolean
ams_get_probability (AmsCheck *c, const AmsYNode *n, double *out)
{
  const char *text;
  if (!ams_get_scalar (c, n, "a probability from 0 to 1", &text))
    return FALSE;
  gsize len = ams_json_number_length (text);
  double v = len > 0 && text[len] == '\0' && !ams_ynode_is_string (n) ? g_ascii_strtod (text, NULL)
                                                                       : -1.0;
  if (!(v >= 0.0 && v <= 1.0))
    {
      ams_check_error (c, n, "expected a probability from 0 to 1 (like 0.02), got \"%s\"", text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
ams_get_number (AmsCheck *c, const AmsYNode *n, double min, double max, double *out)
{
  g_autofree char *expected = isinf (max) ? g_strdup_printf ("a number of at least %g", min)
                                          : g_strdup_printf ("a number from %g to %g", min, max);
  const char *text;
  if (!ams_get_scalar (c, n, expected, &text))
    return FALSE;
  g_autofree char *got = found (n);
  if (ams_ynode_is_string (n))
    {
      ams_check_error (c, n, "expected %s, got the string %s (numbers are written without "
                       "quotes)", expected, got);
      return FALSE;
    }
  gsize len = ams_json_number_length (text);
  double v = len > 0 && text[len] == '\0' ? g_ascii_strtod (text, NULL) : NAN;
  if (!(v >= min && v <= max))
    {
      ams_check_error (c, n, "expected %s, got %s", expected, got);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* ---- tags ---- */

GArray *
ams_check_tags_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (AmsScTag));
}

gboolean
ams_get_tags (AmsCheck *c, const AmsYNode *n, guint min_tags, GArray *out)
{
  if (n->kind != AMS_YNODE_MAPPING)
    {
      g_autofree char *got = found (n);
      ams_check_error (c, n, "expected a mapping of tag names to values, got %s", got);
      return FALSE;
    }
  guint len = n->pairs->len;
  if (len < min_tags || len > AMS_MAX_TAGS)
    {
      if (min_tags == 0)
        ams_check_error (c, n, "expected at most %d tags, got %u", AMS_MAX_TAGS, len);
      else
        ams_check_error (c, n, "expected %u to %d tags, got %u", min_tags, AMS_MAX_TAGS, len);
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < len; i++)
    {
      const AmsYPair *p = &g_array_index (n->pairs, AmsYPair, i);
      if (p->key->kind != AMS_YNODE_SCALAR)
        {
          ams_check_error (c, p->key, "expected a tag name, got %s", ams_ynode_describe (p->key));
          ok = FALSE;
          continue;
        }
      gsize mark = ams_check_push_key (c, p->key->text);
      AmsScTag t = { .value = "" };
      if (ams_get_pattern (c, p->key, AMS_PAT_TAG_KEY, &t.key)
          && ams_get_string (c, p->key, 1, 128, &t.key)
          && (ams_ynode_is_null (p->value) || ams_get_string (c, p->value, 0, 256, &t.value)))
        g_array_append_val (out, t);
      else
        ok = FALSE;
      ams_check_pop (c, mark);
    }
  return ok;
}
