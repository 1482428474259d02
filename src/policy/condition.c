/* amisim — Condition blocks: compiling operators and values, evaluating
 * them against a request context.
 *
 * Rules (IAM JSON policy reference, "Condition" and "Condition operators";
 * DOMAIN.md §2):
 *   - operators in one block, and keys under one operator, are ANDed; the
 *     values of one key are ORed (for negated operators: NOR);
 *   - key names are case-insensitive, values case-sensitive except for the
 *     …IgnoreCase operators;
 *   - a key missing from the request makes the condition false, except for
 *     negated operators (true), …IfExists (true), Null (which tests exactly
 *     that) and ForAllValues: (vacuously true); ForAnyValue: is false.
 *
 * Multivalued context keys with an operator that has no ForAnyValue: or
 * ForAllValues: qualifier. The IAM User Guide, "Single-valued vs.
 * multivalued context keys"
 * (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
 * says: "Multivalued context keys require a condition set operator" and
 * "To compare your condition context key against a request context key with
 * multiple values, you must use the ForAllValues or ForAnyValue set
 * operators"; it defines no result for an operator without one, and no
 * value logic of a single-valued operator applies to a set. amisim
 * therefore follows the requirement: such a condition does not match while
 * the request carries the key (false, for negated operators and …IfExists
 * too; only an absent key keeps the missing-key rules above). This is what
 * independent evaluators that follow the documentation do (e.g. Cloud
 * Copilot's iam-simulate: "Set operator is required for a multi-value
 * key"). A key is multivalued when IAM documents it so ("Value type:
 * Multivalued" in "AWS global condition context keys": aws:PrincipalOrgPaths,
 * aws:ResourceOrgPaths, aws:SourceOrgPaths, aws:VpceOrgPaths, aws:TagKeys,
 * aws:CalledVia, aws:PrincipalServiceNamesList), even with one value in the
 * request, or when the request gives it several values. Such a condition in
 * a policy is a warning at compile time (ams_policy_warning): it is legal
 * JSON that IAM accepts, but it cannot grant, and a Deny written with it
 * never applies.
 *
 * With a qualifier, for each context value v, m(v) = "v matches some policy
 * value" under the positive form of the operator:
 *   ForAnyValue:op     = exists v: m(v)       ForAnyValue:NotOp  = exists v: !m(v)
 *   ForAllValues:op    = for all v: m(v)      ForAllValues:NotOp = for all v: !m(v)
 */
#include <stdlib.h>
#include <string.h>

#include "policy-private.h"

typedef enum
{
  FAM_STRING,
  FAM_ARN,
  FAM_NUMERIC,
  FAM_DATE,
  FAM_BOOL,
  FAM_NULL,
} Family;

typedef enum
{
  CMP_EQ,
  CMP_LIKE,
  CMP_LT,
  CMP_LE,
  CMP_GT,
  CMP_GE,
} Cmp;

typedef struct
{
  const char *name;
  Family family;
  Cmp cmp;
  gboolean icase;
  gboolean negated;
} OpSpec;

static const OpSpec ops[] = {
  { "StringEquals", FAM_STRING, CMP_EQ, FALSE, FALSE },
  { "StringNotEquals", FAM_STRING, CMP_EQ, FALSE, TRUE },
  { "StringEqualsIgnoreCase", FAM_STRING, CMP_EQ, TRUE, FALSE },
  { "StringNotEqualsIgnoreCase", FAM_STRING, CMP_EQ, TRUE, TRUE },
  { "StringLike", FAM_STRING, CMP_LIKE, FALSE, FALSE },
  { "StringNotLike", FAM_STRING, CMP_LIKE, FALSE, TRUE },
  /* ArnEquals and ArnLike are the same test in IAM: both take wildcards in
   * each of the six parts. */
  { "ArnEquals", FAM_ARN, CMP_LIKE, FALSE, FALSE },
  { "ArnLike", FAM_ARN, CMP_LIKE, FALSE, FALSE },
  { "ArnNotEquals", FAM_ARN, CMP_LIKE, FALSE, TRUE },
  { "ArnNotLike", FAM_ARN, CMP_LIKE, FALSE, TRUE },
  { "NumericEquals", FAM_NUMERIC, CMP_EQ, FALSE, FALSE },
  { "NumericNotEquals", FAM_NUMERIC, CMP_EQ, FALSE, TRUE },
  { "NumericLessThan", FAM_NUMERIC, CMP_LT, FALSE, FALSE },
  { "NumericLessThanEquals", FAM_NUMERIC, CMP_LE, FALSE, FALSE },
  { "NumericGreaterThan", FAM_NUMERIC, CMP_GT, FALSE, FALSE },
  { "NumericGreaterThanEquals", FAM_NUMERIC, CMP_GE, FALSE, FALSE },
  { "DateEquals", FAM_DATE, CMP_EQ, FALSE, FALSE },
  { "DateNotEquals", FAM_DATE, CMP_EQ, FALSE, TRUE },
  { "DateLessThan", FAM_DATE, CMP_LT, FALSE, FALSE },
  { "DateLessThanEquals", FAM_DATE, CMP_LE, FALSE, FALSE },
  { "DateGreaterThan", FAM_DATE, CMP_GT, FALSE, FALSE },
  { "DateGreaterThanEquals", FAM_DATE, CMP_GE, FALSE, FALSE },
  { "Bool", FAM_BOOL, CMP_EQ, FALSE, FALSE },
  { "Null", FAM_NULL, CMP_EQ, FALSE, FALSE },
};

/* Real IAM operators that amisim does not evaluate: named as such, never
 * mistaken for typos. */
static const char *const unsupported_ops[] = {
  "IpAddress", "NotIpAddress", "BinaryEquals",
};

/* Global condition keys (IAM "AWS global condition context keys"). Only
 * used to catch typos: an aws: key within two edits of one of these is an
 * error; an unknown key far from all of them is accepted (it may be newer
 * than this list). */
static const char *const global_keys[] = {
  "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID",
  "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
  "aws:PrincipalType", "aws:userid", "aws:username", "aws:AssumedRoot", "aws:FederatedProvider",
  "aws:TokenIssueTime", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent",
  "aws:ChatbotSourceArn", "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
  "aws:SourceIdentity", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce",
  "aws:VpcSourceIp", "aws:VpceAccount", "aws:VpceOrgPaths", "aws:VpceOrgID",
  "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:CalledVia",
  "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService", "aws:CurrentTime",
  "aws:EpochTime", "aws:referer", "aws:RequestedRegion", "aws:TagKeys", "aws:SecureTransport",
  "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
  "aws:UserAgent", "aws:SourceOwner",
};

/* Global keys that IAM documents as multivalued ("Value type:
 * Multivalued"); see the top of this file. */
static const char *const multivalued_keys[] = {
  "aws:principalorgpaths", "aws:resourceorgpaths", "aws:sourceorgpaths", "aws:vpceorgpaths",
  "aws:tagkeys", "aws:calledvia", "aws:principalservicenameslist",
};

gboolean
ams__key_is_multivalued (const char *key_lc)
{
  for (guint i = 0; i < G_N_ELEMENTS (multivalued_keys); i++)
    if (strcmp (key_lc, multivalued_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Keys with a free-form suffix. */
static const char *const global_key_prefixes[] = {
  "aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/",
};

typedef enum
{
  QUAL_NONE,
  QUAL_ANY,
  QUAL_ALL,
} Qual;

struct AmsCondition
{
  const OpSpec *op;
  Qual qual;
  gboolean if_exists;
  char *key;         /* as written */
  char *key_lc;
  gboolean multivalued; /* key_lc is documented as multivalued */
  GPtrArray *templates; /* FAM_STRING, FAM_ARN: of AmsTemplate* */
  GArray *numbers;      /* FAM_NUMERIC: double; FAM_DATE: gint64 µs; BOOL, NULL: gboolean */
};

void
ams__condition_free (AmsCondition *c)
{
  if (c == NULL)
    return;
  g_free (c->key);
  g_free (c->key_lc);
  if (c->templates != NULL)
    g_ptr_array_unref (c->templates);
  if (c->numbers != NULL)
    g_array_unref (c->numbers);
  g_free (c);
}

/* ---- value parsing -------------------------------------------------------- */

/* A decimal number as IAM's Numeric operators take it: optional sign,
 * digits, optional fraction, optional exponent. No hex, no inf/nan. Not
 * ams_json_number_length: IAM also takes a leading '+' and leading zeros. */
static gboolean
parse_number (const char *s, double *out)
{
  const char *c = s;
  if (*c == '-' || *c == '+')
    c++;
  if (!g_ascii_isdigit (*c))
    return FALSE;
  while (g_ascii_isdigit (*c))
    c++;
  if (*c == '.')
    {
      c++;
      if (!g_ascii_isdigit (*c))
        return FALSE;
      while (g_ascii_isdigit (*c))
        c++;
    }
  if (*c == 'e' || *c == 'E')
    {
      c++;
      if (*c == '-' || *c == '+')
        c++;
      if (!g_ascii_isdigit (*c))
        return FALSE;
      while (g_ascii_isdigit (*c))
        c++;
    }
  if (*c != '\0')
    return FALSE;
  *out = g_ascii_strtod (s, NULL);
  return TRUE;
}

/* Dates as the Date operators take them: epoch seconds ("1700000000"), a
 * date ("2024-01-31", midnight UTC) or an ISO 8601 date and time
 * ("2024-01-31T12:00:00Z"; without a zone, UTC). Microseconds since the
 * epoch. */
static gboolean
parse_date (const char *s, gint64 *out)
{
  if (*s == '\0')
    return FALSE;
  const char *c = s;
  while (g_ascii_isdigit (*c))
    c++;
  if (*c == '\0' && c - s <= 12)
    {
      *out = g_ascii_strtoll (s, NULL, 10) * G_USEC_PER_SEC;
      return TRUE;
    }
  g_autofree char *full = NULL;
  if (strlen (s) == 10 && s[4] == '-' && s[7] == '-')
    full = g_strconcat (s, "T00:00:00Z", NULL);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (full != NULL ? full : s, utc);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

static gboolean
parse_bool (const char *s, gboolean *out)
{
  if (g_ascii_strcasecmp (s, "true") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (s, "false") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* ---- compiling ------------------------------------------------------------ */

static const OpSpec *
find_op (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (strcmp (ops[i].name, name) == 0)
      return &ops[i];
  return NULL;
}

/* Splits "ForAnyValue:StringLikeIfExists" into its parts; reports and
 * returns FALSE for anything malformed, naming what is wrong. */
static gboolean
parse_operator (const char *written, const AmsSrcLoc *loc, AmsReporter *r, const OpSpec **op,
                Qual *qual, gboolean *if_exists)
{
  *qual = QUAL_NONE;
  *if_exists = FALSE;
  const char *base = written;
  const char *colon = strchr (written, ':');
  const char *qual_name = "";
  if (colon != NULL)
    {
      g_autofree char *q = g_strndup (written, (gsize) (colon - written));
      if (strcmp (q, "ForAnyValue") == 0)
        {
          *qual = QUAL_ANY;
          qual_name = "ForAnyValue:";
        }
      else if (strcmp (q, "ForAllValues") == 0)
        {
          *qual = QUAL_ALL;
          qual_name = "ForAllValues:";
        }
      else
        {
          static const char *const quals[] = { "ForAnyValue", "ForAllValues" };
          GString *msg = g_string_new (NULL);
          g_string_append_printf (msg, "unknown set qualifier '%s' in condition operator '%s'",
                                  q, written);
          ams_append_suggestion (msg, q, quals, G_N_ELEMENTS (quals), 12, NULL);
          ams__report (r, loc, "%s", msg->str);
          g_string_free (msg, TRUE);
          return FALSE;
        }
      base = colon + 1;
    }
  g_autofree char *name = g_strdup (base);
  gsize len = strlen (name);
  const gsize ie = strlen ("IfExists");
  if (len > ie && strcmp (name + len - ie, "IfExists") == 0)
    {
      *if_exists = TRUE;
      name[len - ie] = '\0';
    }
  *op = find_op (name);
  if (*op == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (unsupported_ops); i++)
        if (strcmp (name, unsupported_ops[i]) == 0)
          {
            ams__report (r, loc,
                         "condition operator '%s' is not supported by amisim (it evaluates "
                         "String…, Arn…, Numeric…, Date…, Bool and Null, with …IfExists and "
                         "ForAnyValue:/ForAllValues:)", written);
            return FALSE;
          }
      const char *names[G_N_ELEMENTS (ops)];
      for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
        names[i] = ops[i].name;
      const char *s = *name ? ams_suggest (name, names, G_N_ELEMENTS (ops)) : NULL;
      if (s != NULL)
        ams__report (r, loc, "unknown condition operator '%s'; did you mean '%s%s%s'?", written,
                     qual_name, s, *if_exists ? "IfExists" : "");
      else
        ams__report (r, loc,
                     "unknown condition operator '%s'; operators are String…, Arn…, Numeric…, "
                     "Date…, Bool and Null, optionally with …IfExists and "
                     "ForAnyValue:/ForAllValues:", written);
      return FALSE;
    }
  if ((*op)->family == FAM_NULL && *if_exists)
    {
      ams__report (r, loc,
                   "'%s': Null cannot take IfExists (Null itself tests whether the key exists)",
                   written);
      return FALSE;
    }
  if ((*op)->family == FAM_NULL && *qual != QUAL_NONE)
    {
      ams__report (r, loc, "'%s': Null cannot take a ForAnyValue:/ForAllValues: qualifier",
                   written);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_key (const char *key, const AmsSrcLoc *loc, AmsReporter *r)
{
  const char *colon = strchr (key, ':');
  if (colon == NULL || colon == key || colon[1] == '\0')
    {
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg,
                              "condition key '%s' needs a service prefix and a name, "
                              "like aws:PrincipalOrgID", key);
      g_autofree char *guess = g_strconcat ("aws:", key, NULL);
      const char *s = ams_suggest (guess, global_keys, G_N_ELEMENTS (global_keys));
      if (s != NULL)
        g_string_append_printf (msg, "; did you mean '%s'?", s);
      ams__report (r, loc, "%s", msg->str);
      g_string_free (msg, TRUE);
      return FALSE;
    }
  if (g_ascii_strncasecmp (key, "aws:", 4) != 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (global_keys); i++)
    if (g_ascii_strcasecmp (key, global_keys[i]) == 0)
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (global_key_prefixes); i++)
    {
      gsize n = strlen (global_key_prefixes[i]);
      if (g_ascii_strncasecmp (key, global_key_prefixes[i], n) == 0)
        {
          if (key[n] == '\0')
            {
              ams__report (r, loc, "condition key '%s' needs a tag key after the '/'", key);
              return FALSE;
            }
          return TRUE;
        }
    }
  /* A near miss of a documented key is a typo that would silently never
   * match (and so silently disable a Deny): an error. */
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  for (guint i = 0; i < G_N_ELEMENTS (global_keys); i++)
    {
      guint d = ams_levenshtein (key, global_keys[i]);
      if (d < best_d)
        {
          best_d = d;
          best = global_keys[i];
        }
    }
  if (best_d <= 2)
    {
      ams__report (r, loc, "unknown global condition key '%s'; did you mean '%s'?", key, best);
      return FALSE;
    }
  return TRUE;
}

static const char *
family_hint (Family f)
{
  switch (f)
    {
    case FAM_NUMERIC: return "a number";
    case FAM_DATE: return "a date (ISO 8601 like 2024-01-31T12:00:00Z, or epoch seconds)";
    case FAM_BOOL: return "true or false";
    case FAM_NULL: return "true (the key must be absent) or false (it must be present)";
    case FAM_STRING:
    case FAM_ARN:
      break;
    }
  return "a string";
}

/* Compiles one value of one key into `c`. */
static gboolean
compile_value (AmsCondition *c, const AmsValue *v, gboolean variables, AmsReporter *r)
{
  if (!ams_value_is_scalar (v))
    {
      ams__report (r, &v->loc, "a condition value must be a string, number or boolean, not %s",
                   ams_value_describe (v));
      return FALSE;
    }
  Family f = c->op->family;
  if (f != FAM_STRING && f != FAM_ARN && strstr (v->text, "${") != NULL)
    {
      ams__report (r, &v->loc,
                   "'%s': policy variables can only be used with String… and Arn… operators, "
                   "not %s", v->text, c->op->name);
      return FALSE;
    }
  switch (f)
    {
    case FAM_STRING:
    case FAM_ARN:
      {
        AmsTemplate *t = ams__template_new (v->text, variables, f == FAM_ARN, &v->loc, r);
        if (t == NULL)
          return FALSE;
        if (f == FAM_ARN)
          {
            /* Six parts, counting only the colons written outside ${…}
             * (a variable can stand only in the last part). */
            if (t->colons < 5)
              {
                ams__report (r, &v->loc,
                             "'%s' is not an ARN: %s compares the six parts of "
                             "arn:partition:service:region:account:resource (wildcards allowed "
                             "in each); use StringLike for other strings",
                             v->text, c->op->name);
                ams__template_free (t);
                return FALSE;
              }
          }
        g_ptr_array_add (c->templates, t);
        return TRUE;
      }
    case FAM_NUMERIC:
    case FAM_DATE:
    case FAM_BOOL:
    case FAM_NULL:
      {
        /* c->numbers holds the family's own element type (see compile_one) */
        union
        {
          double d;
          gint64 t;
          gboolean b;
        } x;
        gboolean ok = f == FAM_NUMERIC ? parse_number (v->text, &x.d)
                      : f == FAM_DATE  ? parse_date (v->text, &x.t)
                                       : parse_bool (v->text, &x.b);
        if (!ok)
          {
            ams__report (r, &v->loc, "'%s' is not %s (%s)", v->text, family_hint (f),
                         c->op->name);
            return FALSE;
          }
        g_array_append_vals (c->numbers, &x, 1);
        return TRUE;
      }
    }
  return FALSE;
}

static AmsCondition *
compile_one (const OpSpec *op, Qual qual, gboolean if_exists, const char *key,
             const AmsValue *values, gboolean variables, AmsReporter *r)
{
  AmsCondition *c = g_new0 (AmsCondition, 1);
  c->op = op;
  c->qual = qual;
  c->if_exists = if_exists;
  c->key = g_strdup (key);
  c->key_lc = g_ascii_strdown (key, -1);
  c->multivalued = ams__key_is_multivalued (c->key_lc);
  if (op->family == FAM_STRING || op->family == FAM_ARN)
    c->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) ams__template_free);
  else if (op->family == FAM_NUMERIC)
    c->numbers = g_array_new (FALSE, FALSE, sizeof (double));
  else if (op->family == FAM_DATE)
    c->numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  else
    c->numbers = g_array_new (FALSE, FALSE, sizeof (gboolean));

  gboolean ok = TRUE;
  if (values->kind == AMS_VALUE_ARRAY)
    {
      if (values->n == 0)
        {
          ams__report (r, &values->loc,
                       "condition key '%s' has an empty list of values: it would never match",
                       key);
          ok = FALSE;
        }
      for (guint i = 0; i < values->n; i++)
        ok = compile_value (c, values->items[i], variables, r) && ok;
    }
  else
    ok = compile_value (c, values, variables, r);
  if (!ok)
    {
      ams__condition_free (c);
      return NULL;
    }
  return c;
}

/* The warning for an operator without a set qualifier on a key IAM
 * documents as multivalued (see the top of this file). */
static char *
multivalued_warning (const char *opname, const char *key)
{
  return g_strdup_printf ("Condition %s on %s: %s is a multivalued key, and IAM requires "
                          "ForAnyValue: or ForAllValues: with it; without one the condition "
                          "is false whenever the request carries the key, so the statement "
                          "never applies then. Write ForAnyValue:%s (some value matches) or "
                          "ForAllValues:%s (every value matches)", opname, key, key, opname,
                          opname);
}

gboolean
ams__conditions_compile (const AmsValue *block, gboolean variables, GPtrArray *out,
                         GPtrArray *warnings, AmsReporter *r)
{
  if (block->kind != AMS_VALUE_OBJECT)
    {
      ams__report (r, &block->loc,
                   "Condition must be an object like {\"StringEquals\": {\"aws:PrincipalOrgID\": "
                   "\"o-…\"}}, not %s", ams_value_describe (block));
      return FALSE;
    }
  guint before = r->n_errors;
  for (guint i = 0; i < block->n; i++)
    {
      const char *opname = block->keys[i];
      const AmsValue *keys = block->items[i];
      const OpSpec *op;
      Qual qual;
      gboolean if_exists;
      if (!parse_operator (opname, &block->key_locs[i], r, &op, &qual, &if_exists))
        continue;
      if (keys->kind != AMS_VALUE_OBJECT)
        {
          ams__report (r, &keys->loc,
                       "%s must map condition keys to values, like {\"aws:SourceAccount\": "
                       "\"111111111111\"}, not %s", opname, ams_value_describe (keys));
          continue;
        }
      if (keys->n == 0)
        {
          ams__report (r, &keys->loc, "%s has no condition keys", opname);
          continue;
        }
      for (guint j = 0; j < keys->n; j++)
        {
          if (!check_key (keys->keys[j], &keys->key_locs[j], r))
            continue;
          AmsCondition *c = compile_one (op, qual, if_exists, keys->keys[j], keys->items[j],
                                         variables, r);
          if (c == NULL)
            continue;
          if (c->multivalued && qual == QUAL_NONE && op->family != FAM_NULL && warnings != NULL)
            g_ptr_array_add (warnings, multivalued_warning (opname, keys->keys[j]));
          g_ptr_array_add (out, c);
        }
    }
  return r->n_errors == before;
}

/* ---- evaluating ----------------------------------------------------------- */

static gboolean
compare (Cmp cmp, double a, double b)
{
  switch (cmp)
    {
    case CMP_EQ:
    case CMP_LIKE: return a == b;
    case CMP_LT: return a < b;
    case CMP_LE: return a <= b;
    case CMP_GT: return a > b;
    case CMP_GE: return a >= b;
    }
  return FALSE;
}

static gboolean
compare64 (Cmp cmp, gint64 a, gint64 b)
{
  switch (cmp)
    {
    case CMP_EQ:
    case CMP_LIKE: return a == b;
    case CMP_LT: return a < b;
    case CMP_LE: return a <= b;
    case CMP_GT: return a > b;
    case CMP_GE: return a >= b;
    }
  return FALSE;
}

/* m(v): does context value `v` match some policy value, under the positive
 * form of the operator? A context value that does not parse as the
 * operator's type matches nothing. */
static gboolean
value_matches (const AmsCondition *c, const char *v, const AmsContext *ctx)
{
  const OpSpec *op = c->op;
  switch (op->family)
    {
    case FAM_STRING:
    case FAM_ARN:
      for (guint i = 0; i < c->templates->len; i++)
        {
          g_autofree char *owned = NULL;
          const char *pat = ams__template_expand (g_ptr_array_index (c->templates, i), ctx, &owned);
          if (pat == NULL)
            continue; /* an unresolved policy variable matches nothing */
          gboolean m = op->family == FAM_ARN
                         ? ams__arn_match (pat, v)
                         : ams__glob (pat, v, op->cmp == CMP_LIKE, op->icase);
          if (m)
            return TRUE;
        }
      return FALSE;
    case FAM_NUMERIC:
      {
        double x;
        if (!parse_number (v, &x))
          return FALSE;
        for (guint i = 0; i < c->numbers->len; i++)
          if (compare (op->cmp, x, g_array_index (c->numbers, double, i)))
            return TRUE;
        return FALSE;
      }
    case FAM_DATE:
      {
        gint64 t;
        if (!parse_date (v, &t))
          return FALSE;
        for (guint i = 0; i < c->numbers->len; i++)
          if (compare64 (op->cmp, t, g_array_index (c->numbers, gint64, i)))
            return TRUE;
        return FALSE;
      }
    case FAM_BOOL:
      {
        gboolean b;
        if (!parse_bool (v, &b))
          return FALSE;
        for (guint i = 0; i < c->numbers->len; i++)
          if (g_array_index (c->numbers, gboolean, i) == b)
            return TRUE;
        return FALSE;
      }
    case FAM_NULL:
      break;
    }
  return FALSE;
}

gboolean
ams__condition_eval (const AmsCondition *c, const AmsContext *ctx)
{
  const char *const *values = ctx != NULL ? ams__context_get_lc (ctx, c->key_lc) : NULL;
  if (c->op->family == FAM_NULL)
    {
      /* "Null": {"k": "true"} holds when k is absent, "false" when present. */
      for (guint i = 0; i < c->numbers->len; i++)
        if (g_array_index (c->numbers, gboolean, i) == (values == NULL))
          return TRUE;
      return FALSE;
    }
  if (values == NULL)
    {
      if (c->if_exists)
        return TRUE;
      if (c->qual == QUAL_ALL)
        return TRUE;
      if (c->qual == QUAL_ANY)
        return FALSE;
      return c->op->negated;
    }
  gboolean neg = c->op->negated;
  switch (c->qual)
    {
    case QUAL_NONE:
      /* A multivalued key needs a set operator (see the top of this file). */
      if (c->multivalued || values[1] != NULL)
        return FALSE;
      return value_matches (c, values[0], ctx) != neg;
    case QUAL_ANY:
      for (const char *const *v = values; *v; v++)
        if (value_matches (c, *v, ctx) != neg)
          return TRUE;
      return FALSE;
    case QUAL_ALL:
      for (const char *const *v = values; *v; v++)
        if (value_matches (c, *v, ctx) == neg)
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

char *
ams__condition_explain (const AmsCondition *c, const AmsContext *ctx)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%s%s%s on %s", c->qual == QUAL_ANY   ? "ForAnyValue:"
                                               : c->qual == QUAL_ALL ? "ForAllValues:"
                                                                     : "",
                          c->op->name, c->if_exists ? "IfExists" : "", c->key);
  if (c->templates != NULL)
    {
      g_string_append (out, " [");
      for (guint i = 0; i < c->templates->len; i++)
        g_string_append_printf (out, "%s\"%s\"", i ? ", " : "",
                                ((const AmsTemplate *) c->templates->pdata[i])->text);
      g_string_append_c (out, ']');
    }
  const char *const *values = ctx != NULL ? ams_context_get (ctx, c->key) : NULL;
  if (values == NULL)
    g_string_append (out, " is false: the request has no such key");
  else
    {
      g_string_append (out, " is false for [");
      for (guint i = 0; values[i] != NULL; i++)
        g_string_append_printf (out, "%s\"%s\"", i ? ", " : "", values[i]);
      g_string_append_c (out, ']');
      if (c->qual == QUAL_NONE && c->op->family != FAM_NULL
          && (c->multivalued || values[1] != NULL))
        g_string_append_printf (out, ": %s is %s, which needs ForAnyValue: or ForAllValues:",
                                c->key, c->multivalued ? "a multivalued key"
                                                       : "given several values");
    }
  return g_string_free (out, FALSE);
}
