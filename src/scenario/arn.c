/* amisim — scenario loader: the values of the Image Builder supply chain:
 * semantic versions, Image Builder ARNs and RAM principals.
 *
 * One parser takes an Image Builder ARN apart (split_arn):
 *   arn:aws[^:]*:imagebuilder:REGION:ACCOUNT:TYPE/NAME/VERSION[/BUILD]
 * with the botocore patterns of ComponentVersionArnOrBuildVersionArn,
 * ImageBuildVersionArn, ImageRecipeArn and ContainerRecipeArn, plus the rule
 * of version patterns (every part after the first x is x too). Each place
 * that reads one says which types and which version forms it takes
 * (AmsArnSpec); an ARN it refuses is answered with the accepted form of its
 * type, with an example, and what was wrong with the one written.
 */
#include <string.h>

#include "check.h"

#define MAX_SEMVER_PART G_GUINT64_CONSTANT (1073741823) /* 2^30-1 */
#define SAMPLE_ARN "arn:aws:imagebuilder:us-east-1:111111111111:"

static const char *const type_words[] = { "component", "image", "image-recipe",
                                          "container-recipe" };
static const char *const type_phrases[] = { "a component", "an image", "an image recipe",
                                            "a container recipe" };
static const char *const sample_names[] = { "hardening", "golden", "golden", "app" };

G_STATIC_ASSERT (G_N_ELEMENTS (type_words) == AMS_SC_RES_CONTAINER_RECIPE + 1);

const AmsArnSpec ams_arn_spec_ram = {
  { AMS_ARN_BUILD, AMS_ARN_BUILD, AMS_ARN_VERSION, AMS_ARN_VERSION },
  "an Image Builder ARN RAM can share",
  "RAM shares components and images by build version, recipes by version",
};

/* ---- semantic versions ---- */

/* TRUE if `text` looks like a version with x wildcards (1.0.x). */
static gboolean
has_wildcard (const char *text)
{
  if (strchr (text, 'x') == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'x')
      return FALSE;
  return TRUE;
}

/* Each part of `v` (digits) is at most 2^30-1. */
static gboolean
parts_in_range (const char *v)
{
  g_auto (GStrv) parts = g_strsplit (v, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "x") != 0
        && (strlen (parts[i]) > 10 || g_ascii_strtoull (parts[i], NULL, 10) > MAX_SEMVER_PART))
      return FALSE;
  return TRUE;
}

gboolean
ams_get_semver (AmsCheck *c, const AmsYNode *n, const char **out)
{
  const char *text;
  if (!ams_get_scalar (c, n, ams_pattern_describe (AMS_PAT_VERSION), &text))
    return FALSE;
  if (!ams_pattern_match (AMS_PAT_VERSION, text, strlen (text)))
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, n, "expected %s, got \"%s\"%s", ams_pattern_describe (AMS_PAT_VERSION),
                       esc, has_wildcard (text)
                              ? " (automatic versioning with x wildcards is not modelled: "
                                "write the version itself)"
                              : "");
      return FALSE;
    }
  if (!parts_in_range (text))
    {
      ams_check_error (c, n, "each part of a version is at most 1073741823 (2^30-1), got \"%s\"",
                       text);
      return FALSE;
    }
  *out = ams_check_intern (c, text);
  return TRUE;
}

/* ---- Image Builder ARNs ---- */

/* Checks a version of an ARN: x.y.z, each a number or x, every part after
 * the first x also x. NULL if fine, else what is wrong. */
static char *
version_problem (const char *v)
{
  g_auto (GStrv) parts = g_strsplit (v, ".", -1);
  gboolean ok = g_strv_length (parts) == 3, wild = FALSE;
  for (guint i = 0; ok && i < 3; i++)
    {
      if (strcmp (parts[i], "x") == 0)
        {
          wild = TRUE;
          continue;
        }
      if (wild)
        return g_strdup_printf ("the version %s has a number after an x: every part after the "
                                "first x is x too, as in 1.x.x", v);
      ok = parts[i][0] != '\0';
      for (const char *q = parts[i]; ok && *q != '\0'; q++)
        ok = g_ascii_isdigit (*q);
    }
  if (!ok)
    return g_strdup_printf ("the version '%s' is not major.minor.patch, each a number or x", v);
  if (!parts_in_range (v))
    return g_strdup_printf ("each part of the version %s is at most 1073741823 (2^30-1)", v);
  return NULL;
}

/* Takes an Image Builder ARN apart into `out` (strings interned):
 * arn:aws[^:]*:imagebuilder:REGION:ACCOUNT:TYPE/NAME/VERSION[/BUILD]. On
 * failure *why says what is wrong and *type is the resource type when it
 * could be read (-1 otherwise). */
static gboolean
split_arn (AmsCheck *c, const char *text, AmsScResRef *out, int *type, char **why)
{
  *type = -1;
  g_auto (GStrv) f = g_strsplit (text, ":", 6);
  if (g_strv_length (f) != 6 || strcmp (f[0], "arn") != 0 || !g_str_has_prefix (f[1], "aws"))
    {
      *why = g_strdup ("not an ARN");
      return FALSE;
    }
  if (strcmp (f[2], "imagebuilder") != 0)
    {
      *why = g_strdup_printf ("an ARN of %s, not of Image Builder",
                              f[2][0] != '\0' ? f[2] : "no service");
      return FALSE;
    }
  g_auto (GStrv) r = g_strsplit (f[5], "/", -1);
  guint n = g_strv_length (r);
  for (int t = 0; t < (int) G_N_ELEMENTS (type_words); t++)
    if (n > 0 && strcmp (r[0], type_words[t]) == 0)
      *type = t;
  if (*type < 0)
    {
      *why = g_strdup_printf ("it names '%s', not a component, an image or a recipe",
                              n > 0 ? r[0] : "");
      return FALSE;
    }
  gboolean recipe = *type >= AMS_SC_RES_IMAGE_RECIPE;
  if (f[3][0] == '\0')
    {
      *why = g_strdup ("no region");
      return FALSE;
    }
  const char *acct = f[4];
  gboolean digits = strlen (acct) == 12;
  for (const char *q = acct; digits && *q != '\0'; q++)
    digits = g_ascii_isdigit (*q);
  gboolean aws = strcmp (acct, "aws") == 0
                 || (!recipe && g_str_has_prefix (acct, "aws-") && acct[4] != '\0'
                     && strspn (acct + 4, "abcdefghijklmnopqrstuvwxyz-") == strlen (acct + 4));
  if (!digits && !aws)
    {
      *why = g_strdup_printf ("the account '%s' is neither 12 digits nor aws", acct);
      return FALSE;
    }
  if (recipe && n == 4)
    {
      *why = g_strdup ("a recipe is named by its version, without a build number");
      return FALSE;
    }
  if (n < 3 || n > (recipe ? 3u : 4u))
    {
      *why = recipe ? g_strdup_printf ("expected %s/NAME/VERSION after the account",
                                       type_words[*type])
                    : g_strdup_printf ("expected %s/NAME/VERSION or %s/NAME/VERSION/BUILD "
                                       "after the account", type_words[*type],
                                       type_words[*type]);
      return FALSE;
    }
  const char *name = r[1];
  if (name[0] == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen (name))
    {
      *why = g_strdup_printf ("the name '%s' is not lowercase letters, digits, - and _: an ARN "
                              "writes a name in lower case, spaces as hyphens", name);
      return FALSE;
    }
  char *vp = version_problem (r[2]);
  if (vp != NULL)
    {
      *why = vp;
      return FALSE;
    }
  guint64 build = 0;
  if (n == 4)
    {
      gboolean ok = r[3][0] != '\0' && strlen (r[3]) <= 10;
      for (const char *q = r[3]; ok && *q != '\0'; q++)
        ok = g_ascii_isdigit (*q);
      build = ok ? g_ascii_strtoull (r[3], NULL, 10) : 0;
      if (build < 1 || build > MAX_SEMVER_PART)
        {
          *why = g_strdup_printf ("the build number '%s' is not a whole number from 1 to "
                                  "1073741823", r[3]);
          return FALSE;
        }
      if (has_wildcard (r[2]))
        {
          *why = g_strdup ("a build number goes only with a version without x");
          return FALSE;
        }
    }
  out->arn = ams_check_intern (c, text);
  out->type = (AmsScResType) *type;
  out->region = ams_check_intern (c, f[3]);
  out->account = ams_check_intern (c, acct);
  out->name = ams_check_intern (c, name);
  out->version = ams_check_intern (c, r[2]);
  out->build = (guint) build;
  return TRUE;
}

/* The accepted forms of type `t` under `forms`, with a full example. */
static void
describe_type (GString *s, int t, guint forms, gboolean full)
{
  const char *w = type_words[t], *nm = sample_names[t];
  g_autofree char *lead = full ? g_strdup (SAMPLE_ARN) : g_strdup ("…:");
  if (forms == AMS_ARN_BUILD)
    g_string_append_printf (s, "%s build version like %s%s/%s/1.0.0/1", type_phrases[t], lead, w,
                            nm);
  else if (forms == AMS_ARN_VERSION)
    g_string_append_printf (s, "%s version like %s%s/%s/1.0.0", type_phrases[t], lead, w, nm);
  else if (forms & AMS_ARN_BUILD)
    g_string_append_printf (s, "%s ARN like %s%s/%s/1.0.0/1 (a build version) or …/%s/%s/x.x.x "
                               "(a version pattern)", type_phrases[t], lead, w, nm, w, nm);
  else
    g_string_append_printf (s, "%s ARN like %s%s/%s/1.0.0 (a version) or …/%s/%s/1.x.x "
                               "(a version pattern)", type_phrases[t], lead, w, nm, w, nm);
}

/* What `spec` accepts (only type `only` when >= 0), for messages. */
static char *
describe_spec (const AmsArnSpec *spec, int only)
{
  GString *s = g_string_new (NULL);
  guint n = 0, count = 0;
  for (int t = 0; t < 4; t++)
    count += spec->forms[t] != 0 && (only < 0 || only == t);
  if (count > 1)
    g_string_append_printf (s, "%s: ", spec->intro != NULL ? spec->intro : "an Image Builder ARN");
  for (int t = 0; t < 4; t++)
    {
      if (spec->forms[t] == 0 || (only >= 0 && only != t))
        continue;
      if (n > 0)
        g_string_append (s, n + 1 == count ? " or " : ", ");
      if (count == 1)
        describe_type (s, t, spec->forms[t], TRUE);
      else
        {
          /* "a component build version (arn:…)" */
          GString *one = g_string_new (NULL);
          describe_type (one, t, spec->forms[t], n == 0);
          char *like = strstr (one->str, " like ");
          if (like != NULL && strchr (like + 6, ' ') == NULL)
            {
              *like = '\0';
              g_string_append_printf (s, "%s (%s)", one->str, like + 6);
            }
          else
            g_string_append (s, one->str);
          g_string_free (one, TRUE);
        }
      n++;
    }
  return g_string_free (s, FALSE);
}

gboolean
ams_get_ib_arn (AmsCheck *c, const AmsYNode *n, const AmsArnSpec *spec, AmsScResRef *out)
{
  g_autofree char *expected = describe_spec (spec, -1);
  const char *text;
  if (!ams_get_scalar (c, n, expected, &text))
    return FALSE;
  g_autofree char *esc = g_strescape (text, NULL);
  g_autofree char *why = NULL;
  AmsScResRef ref = { 0 };
  int type;
  if (!split_arn (c, text, &ref, &type, &why))
    {
      g_autofree char *want = type >= 0 && spec->forms[type] != 0 ? describe_spec (spec, type)
                                                                  : NULL;
      ams_check_error (c, n, "expected %s, got \"%s\" (%s)", want != NULL ? want : expected, esc,
                       why);
      return FALSE;
    }
  guint forms = spec->forms[ref.type];
  if (forms == 0)
    {
      ams_check_error (c, n, "expected %s, got \"%s\" (it names %s)", expected, esc,
                       type_phrases[ref.type]);
      return FALSE;
    }
  const char *given = NULL;
  gboolean wild = has_wildcard (ref.version);
  if (ref.build > 0 && !(forms & AMS_ARN_BUILD))
    given = "a build version";
  else if (ref.build == 0 && wild && !(forms & AMS_ARN_PATTERN))
    given = "a version pattern: x wildcards are not accepted here";
  else if (ref.build == 0 && !wild && !(forms & AMS_ARN_VERSION))
    given = "a version without its build number";
  if (given != NULL)
    {
      g_autofree char *want = describe_spec (spec, ref.type);
      ams_check_error (c, n, "expected %s, got \"%s\" (%s)%s%s", want, esc, given,
                       spec->note != NULL ? "; " : "", spec->note != NULL ? spec->note : "");
      return FALSE;
    }
  ams_check_loc (c, n, &ref.loc);
  *out = ref;
  return TRUE;
}

gboolean
ams_get_ib_arn_list (AmsCheck *c, const AmsYNode *n, const AmsArnSpec *spec, guint min_items,
                     GArray *out)
{
  if (n->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, n, "expected a list of ARNs, got %s", ams_ynode_describe (n));
      return FALSE;
    }
  if (n->items->len < min_items)
    {
      ams_check_error (c, n, "expected at least %u ARN%s, got %u", min_items,
                       min_items == 1 ? "" : "s", n->items->len);
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < n->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (n->items, i);
      gsize mark = ams_check_push_index (c, i);
      AmsScResRef ref;
      if (ams_get_ib_arn (c, item, spec, &ref))
        {
          const AmsScResRef *first = NULL;
          for (guint j = 0; j < out->len && first == NULL; j++)
            if (strcmp (g_array_index (out, AmsScResRef, j).arn, ref.arn) == 0)
              first = &g_array_index (out, AmsScResRef, j);
          if (first != NULL)
            {
              ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", ref.arn,
                               first->loc.line, first->loc.col);
              ok = FALSE;
            }
          else
            g_array_append_val (out, ref);
        }
      else
        ok = FALSE;
      ams_check_pop (c, mark);
    }
  return ok;
}

/* ---- RAM principals ---- */

#define ORG_ARN_FORM "arn:aws:organizations::<management-account>:organization/o-…"
#define OU_ARN_FORM "arn:aws:organizations::<management-account>:ou/o-…/ou-…"

static gboolean
get_principal (AmsCheck *c, const AmsYNode *n, AmsScRef *out)
{
  const char *what = "a 12-digit account id, an organization ARN or an OU ARN";
  const char *text;
  if (!ams_get_scalar (c, n, what, &text))
    return FALSE;
  gsize len = strlen (text);
  g_autofree char *esc = g_strescape (text, NULL);
  if (ams_pattern_match (AMS_PAT_ACCOUNT_ID, text, len)
      || ams_pattern_match (AMS_PAT_ORG_ARN, text, len)
      || ams_pattern_match (AMS_PAT_OU_ARN, text, len))
    {
      out->value = ams_check_intern (c, text);
      ams_check_loc (c, n, &out->loc);
      return TRUE;
    }
  if (ams_pattern_match (AMS_PAT_ORG_ID, text, len))
    ams_check_error (c, n, "'%s' is an id, but RAM principals need the ARN: " ORG_ARN_FORM, esc);
  else if (ams_pattern_match (AMS_PAT_OU_ID, text, len))
    ams_check_error (c, n, "'%s' is an id, but RAM principals need the ARN: " OU_ARN_FORM, esc);
  else if (g_str_has_prefix (text, "arn:") && strstr (text, ":iam::") != NULL)
    ams_check_error (c, n, "'%s' is an IAM %s: Image Builder resources are shared with "
                           "accounts, organizations and OUs only", esc,
                     strstr (text, ":user/") != NULL   ? "user"
                     : strstr (text, ":role/") != NULL ? "role"
                                                       : "principal");
  else if (g_str_has_suffix (text, ".amazonaws.com"))
    ams_check_error (c, n, "'%s' is a service principal: Image Builder resources are shared "
                           "with accounts, organizations and OUs only", esc);
  else
    ams_check_error (c, n, "expected %s, got \"%s\"", what, esc);
  return FALSE;
}

gboolean
ams_get_principals (AmsCheck *c, const AmsYNode *n, guint min_items, GArray *out)
{
  if (n->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, n, "expected a list of account ids, organization ARNs and OU ARNs, "
                             "got %s", ams_ynode_describe (n));
      return FALSE;
    }
  if (n->items->len < min_items)
    {
      ams_check_error (c, n, "expected at least %u principal%s, got %u", min_items,
                       min_items == 1 ? "" : "s", n->items->len);
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < n->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (n->items, i);
      gsize mark = ams_check_push_index (c, i);
      AmsScRef ref;
      if (get_principal (c, item, &ref))
        {
          const AmsScRef *first = NULL;
          for (guint j = 0; j < out->len && first == NULL; j++)
            if (strcmp (g_array_index (out, AmsScRef, j).value, ref.value) == 0)
              first = &g_array_index (out, AmsScRef, j);
          if (first != NULL)
            {
              ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", ref.value,
                               first->loc.line, first->loc.col);
              ok = FALSE;
            }
          else
            g_array_append_val (out, ref);
        }
      else
        ok = FALSE;
      ams_check_pop (c, mark);
    }
  return ok;
}
