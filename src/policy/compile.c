/* amisim — compiling policy documents (AmsValue trees) into AmsPolicy.
 *
 * One pass over the document checks every element against the subset
 * amisim evaluates (DOMAIN.md §2) and turns it into matchers. Every problem
 * is reported with the location of the offending value or key and a message
 * that says what to write instead; compilation goes on after a problem so
 * that one run shows them all, and then returns NULL. Nothing outside the
 * subset is ever accepted silently: an unsupported principal type,
 * operator or element is an error that names it. Before anything else, a
 * document with a control character in any string or member name is
 * refused (ams__check_controls): nothing after that would print or match
 * such a string.
 */
#include <string.h>

#include "policy-private.h"

static const char *const top_keys[] = { "Version", "Id", "Statement" };
static const char *const stmt_keys[] = {
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
  "Resource", "NotResource", "Condition",
};
static const char *const principal_keys[] = { "AWS", "Service", "Federated", "CanonicalUser" };

static gboolean
in_list (const char *s, const char *const *list, guint n)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (s, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_wildcard (const char *s)
{
  return strpbrk (s, "*?") != NULL;
}

/* The values of an element that is "a string or a list of strings": the
 * nodes are appended to `out`. FALSE after reporting. */
static gboolean
collect_strings (const AmsValue *v, const char *element, GPtrArray *out, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_STRING)
    {
      g_ptr_array_add (out, (gpointer) v);
      return TRUE;
    }
  if (v->kind != AMS_VALUE_ARRAY)
    {
      ams__report (r, &v->loc, "%s must be a string or a list of strings, not %s", element,
                   ams_value_describe (v));
      return FALSE;
    }
  if (v->n == 0)
    {
      ams__report (r, &v->loc, "%s must not be an empty list", element);
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < v->n; i++)
    {
      const AmsValue *it = v->items[i];
      if (it->kind == AMS_VALUE_STRING)
        g_ptr_array_add (out, (gpointer) it);
      else if (it->kind == AMS_VALUE_NUMBER && ams__is_account_id (it->text))
        {
          ams__report (r, &it->loc,
                       "account id %s must be a string: quote it (leading zeros matter)",
                       it->text);
          ok = FALSE;
        }
      else
        {
          ams__report (r, &it->loc, "%s values must be strings, not %s", element,
                       ams_value_describe (it));
          ok = FALSE;
        }
    }
  return ok;
}

/* ---- control characters --------------------------------------------------- */

static const char *const c0_names[32] = {
  "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "backspace", "tab", "line feed",
  "vertical tab", "form feed", "carriage return", "SO", "SI", "DLE", "DC1", "DC2", "DC3",
  "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "escape", "FS", "GS", "RS", "US",
};

char *
ams__find_control (const char *s)
{
  const guchar *p = (const guchar *) s;
  glong index = 0;
  for (gsize i = 0; p[i] != '\0'; i++)
    {
      if ((p[i] & 0xC0) != 0x80)
        index++;
      gunichar ch;
      if (p[i] < 0x20 || p[i] == 0x7F)
        ch = p[i];
      else if (p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
        ch = p[i + 1]; /* U+0080-U+009F in UTF-8 */
      else
        continue;
      const char *name = ch < 0x20 ? c0_names[ch] : ch == 0x7F ? "DEL" : "a C1 control";
      return g_strdup_printf ("control character U+%04X (%s) at character %ld", ch, name,
                              index);
    }
  return NULL;
}

gboolean
ams__check_controls (const AmsValue *v, AmsReporter *r)
{
  gboolean ok = TRUE;
  if (v->kind == AMS_VALUE_ARRAY || v->kind == AMS_VALUE_OBJECT)
    {
      for (guint i = 0; i < v->n; i++)
        {
          if (v->kind == AMS_VALUE_OBJECT)
            {
              g_autofree char *bad = ams__find_control (v->keys[i]);
              if (bad != NULL)
                {
                  ams__report (r, &v->key_locs[i], "%s of a member name; policy documents "
                               "and requests hold no control characters", bad);
                  ok = FALSE;
                }
            }
          if (!ams__check_controls (v->items[i], r))
            ok = FALSE;
        }
      return ok;
    }
  g_autofree char *bad = ams__find_control (v->text);
  if (bad != NULL)
    {
      ams__report (r, &v->loc, "%s; policy documents and requests hold no control characters "
                   "in their strings", bad);
      return FALSE;
    }
  return TRUE;
}

/* ---- principals ------------------------------------------------------------ */

static void
principal_clear (gpointer p)
{
  g_free (((AmsPrincipal *) p)->value);
  g_free (((AmsPrincipal *) p)->sessions);
}

static void
add_principal (GArray *out, AmsPrinKind kind, const char *value)
{
  AmsPrincipal pr = { kind, g_strdup (value), NULL };
  g_array_append_val (out, pr);
}

static gboolean
compile_aws_principal (const AmsValue *v, GArray *out, AmsReporter *r)
{
  const char *s = v->text;
  if (strcmp (s, "*") == 0)
    {
      add_principal (out, AMS__PRIN_ANY, NULL);
      return TRUE;
    }
  if (ams__is_account_id (s))
    {
      add_principal (out, AMS__PRIN_ACCOUNT, s);
      return TRUE;
    }
  if (has_wildcard (s))
    {
      ams__report (r, &v->loc,
                   "wildcards are not allowed in AWS principals ('%s'): use \"*\" with a "
                   "Condition such as ArnLike on aws:PrincipalArn", s);
      return FALSE;
    }
  g_autofree char *buf = NULL;
  const char *p[6];
  if (g_str_has_prefix (s, "arn:") && ams__arn_split (s, &buf, p)
      && g_str_has_prefix (p[1], "aws") && p[3][0] == '\0' && ams__is_account_id (p[4]))
    {
      if (strcmp (p[2], "iam") == 0 && strcmp (p[5], "root") == 0)
        {
          add_principal (out, AMS__PRIN_ACCOUNT, p[4]);
          return TRUE;
        }
      if ((strcmp (p[2], "iam") == 0
           && (g_str_has_prefix (p[5], "role/") || g_str_has_prefix (p[5], "user/")))
          || (strcmp (p[2], "sts") == 0 && g_str_has_prefix (p[5], "assumed-role/")))
        {
          add_principal (out, AMS__PRIN_ARN, s);
          /* A role acts through its sessions: naming the role grants them
           * (IAM User Guide, "AWS JSON policy elements: Principal", IAM role
           * principals). A session ARN carries the role's name but not its
           * path: arn:aws:iam::A:role/path/R -> arn:aws:sts::A:assumed-role/R/. */
          const char *name = strrchr (p[5], '/') + 1;
          if (strcmp (p[2], "iam") == 0 && g_str_has_prefix (p[5], "role/") && *name != '\0')
            g_array_index (out, AmsPrincipal, out->len - 1).sessions
              = g_strdup_printf ("arn:%s:sts::%s:assumed-role/%s/", p[1], p[4], name);
          return TRUE;
        }
    }
  ams__report (r, &v->loc,
               "'%s' is not an AWS principal amisim understands: use \"*\", a 12-digit "
               "account id, arn:aws:iam::ACCOUNT:root, or a role or user ARN "
               "(arn:aws:iam::ACCOUNT:role/NAME)", s);
  return FALSE;
}

static gboolean
is_service_name (const char *s)
{
  if (!g_str_has_suffix (s, ".amazonaws.com") && !g_str_has_suffix (s, ".amazonaws.com.cn"))
    return FALSE;
  for (const char *c = s; *c; c++)
    if (!(g_ascii_islower (*c) || g_ascii_isdigit (*c) || *c == '.' || *c == '-'))
      return FALSE;
  return s[0] != '.';
}

static gboolean
compile_principal (const AmsValue *v, const char *element, GArray *out, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_STRING && strcmp (v->text, "*") == 0)
    {
      add_principal (out, AMS__PRIN_ANY, NULL);
      return TRUE;
    }
  if (v->kind != AMS_VALUE_OBJECT)
    {
      if (v->kind == AMS_VALUE_STRING)
        ams__report (r, &v->loc,
                     "%s must be \"*\" or an object such as {\"AWS\": \"%s\"} or "
                     "{\"Service\": \"imagebuilder.amazonaws.com\"}, not the bare string '%s'",
                     element, v->text, v->text);
      else
        ams__report (r, &v->loc,
                     "%s must be \"*\" or an object such as {\"AWS\": \"111111111111\"} or "
                     "{\"Service\": \"imagebuilder.amazonaws.com\"}, not %s", element,
                     ams_value_describe (v));
      return FALSE;
    }
  if (v->n == 0)
    {
      ams__report (r, &v->loc, "%s names no principal: give \"AWS\" or \"Service\"", element);
      return FALSE;
    }
  gboolean ok = TRUE;
  for (guint i = 0; i < v->n; i++)
    {
      const char *type = v->keys[i];
      const AmsSrcLoc *kloc = &v->key_locs[i];
      gboolean aws = strcmp (type, "AWS") == 0;
      gboolean service = strcmp (type, "Service") == 0;
      if (strcmp (type, "Federated") == 0 || strcmp (type, "CanonicalUser") == 0)
        {
          ams__report (r, kloc,
                       "'%s' principals are not supported by amisim (it models accounts, "
                       "IAM roles and users, and services)", type);
          ok = FALSE;
          continue;
        }
      if (!aws && !service)
        {
          GString *msg = g_string_new (NULL);
          g_string_append_printf (msg, "unknown principal type '%s'", type);
          ams_append_suggestion (msg, type, principal_keys, 2, 12, NULL);
          ams__report (r, kloc, "%s", msg->str);
          g_string_free (msg, TRUE);
          ok = FALSE;
          continue;
        }
      g_autofree char *what = g_strdup_printf ("%s %s", element, type);
      g_autoptr (GPtrArray) vals = g_ptr_array_new ();
      if (!collect_strings (v->items[i], what, vals, r))
        {
          ok = FALSE;
          continue;
        }
      for (guint j = 0; j < vals->len; j++)
        {
          const AmsValue *s = g_ptr_array_index (vals, j);
          if (aws)
            ok = compile_aws_principal (s, out, r) && ok;
          else if (is_service_name (s->text))
            add_principal (out, AMS__PRIN_SERVICE, s->text);
          else
            {
              ams__report (r, &s->loc,
                           "'%s' is not a service principal: they are written like "
                           "imagebuilder.amazonaws.com", s->text);
              ok = FALSE;
            }
        }
    }
  return ok;
}

/* ---- actions and resources ---------------------------------------------------- */

static gboolean
check_action (const AmsValue *v, AmsReporter *r)
{
  const char *s = v->text;
  if (strcmp (s, "*") == 0)
    return TRUE;
  const char *colon = strchr (s, ':');
  gboolean ok = colon != NULL && colon > s && colon[1] != '\0';
  for (const char *c = s; ok && c < colon; c++)
    ok = g_ascii_isalnum (*c) || *c == '-';
  for (const char *c = colon ? colon + 1 : s; ok && *c; c++)
    ok = g_ascii_isalnum (*c) || *c == '*' || *c == '?';
  if (!ok)
    {
      if (colon != NULL && colon > s && strpbrk (s, "*?") != NULL && strpbrk (s, "*?") < colon)
        ams__report (r, &v->loc,
                     "action '%s': wildcards are not allowed in the service prefix; write "
                     "\"*\" for every action, or service:* for one service", s);
      else
        ams__report (r, &v->loc,
                     "action '%s' is not of the form service:Action, like kms:Decrypt or "
                     "ec2:Describe*", s);
    }
  return ok;
}

static void
report_not_resource (const AmsValue *v, AmsReporter *r)
{
  ams__report (r, &v->loc,
               "resource '%s' is not \"*\" or an ARN "
               "(arn:partition:service:region:account:resource, e.g. "
               "arn:aws:kms:us-east-1:111111111111:key/*)", v->text);
}

/* A Resource or NotResource value: "*", or an ARN whose policy variables
 * are all in its resource part. NULL after reporting. */
static AmsTemplate *
compile_resource (const AmsValue *v, gboolean variables, AmsReporter *r)
{
  const char *s = v->text;
  if (strcmp (s, "*") != 0 && !g_str_has_prefix (s, "arn:"))
    {
      report_not_resource (v, r);
      return NULL;
    }
  AmsTemplate *t = ams__template_new (s, variables, TRUE, &v->loc, r);
  if (t != NULL && strcmp (s, "*") != 0 && t->colons < 5)
    {
      report_not_resource (v, r);
      ams__template_free (t);
      return NULL;
    }
  return t;
}

/* ---- statements ------------------------------------------------------------ */

void
ams__statement_free (AmsStatement *s)
{
  if (s == NULL)
    return;
  g_free (s->sid);
  g_free (s->json);
  if (s->principals != NULL)
    g_array_unref (s->principals);
  if (s->actions != NULL)
    g_ptr_array_unref (s->actions);
  if (s->resources != NULL)
    g_ptr_array_unref (s->resources);
  if (s->conditions != NULL)
    g_ptr_array_unref (s->conditions);
  if (s->warnings != NULL)
    g_ptr_array_unref (s->warnings);
  g_free (s);
}

static void
copy_loc (AmsPolicy *p, AmsSrcLoc *dst, const AmsSrcLoc *src)
{
  dst->file = src->file != NULL ? g_string_chunk_insert_const (p->strings, src->file) : NULL;
  dst->path = src->path != NULL ? g_string_chunk_insert_const (p->strings, src->path) : NULL;
  dst->line = src->line;
  dst->col = src->col;
}

static const char *
kind_noun (AmsPolicyKind kind)
{
  switch (kind)
    {
    case AMS_POLICY_IDENTITY: return "an identity policy";
    case AMS_POLICY_RESOURCE: return "a resource policy";
    case AMS_POLICY_SCP: return "a service control policy";
    }
  return "a policy";
}

static AmsStatement *
compile_statement (AmsPolicy *p, const AmsValue *v, AmsReporter *r)
{
  if (v->kind != AMS_VALUE_OBJECT)
    {
      ams__report (r, &v->loc, "a statement must be an object with Effect, Action, …, not %s",
                   ams_value_describe (v));
      return NULL;
    }
  guint before = r->n_errors;
  AmsStatement *s = g_new0 (AmsStatement, 1);
  copy_loc (p, &s->loc, &v->loc);
  s->principals = g_array_new (FALSE, TRUE, sizeof (AmsPrincipal));
  g_array_set_clear_func (s->principals, principal_clear);
  s->actions = g_ptr_array_new_with_free_func (g_free);
  s->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) ams__template_free);
  s->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) ams__condition_free);
  s->warnings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < v->n; i++)
    {
      const char *k = v->keys[i];
      if (in_list (k, stmt_keys, G_N_ELEMENTS (stmt_keys)))
        continue;
      if (in_list (k, top_keys, G_N_ELEMENTS (top_keys)))
        {
          ams__report (r, &v->key_locs[i],
                       "'%s' belongs at the top of the policy document, not in a statement", k);
          continue;
        }
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "unknown statement element '%s'", k);
      ams_append_suggestion (msg, k, stmt_keys, G_N_ELEMENTS (stmt_keys), 12, NULL);
      ams__report (r, &v->key_locs[i], "%s", msg->str);
      g_string_free (msg, TRUE);
    }

  const AmsValue *sid = ams_value_get (v, "Sid");
  if (sid != NULL)
    {
      if (sid->kind == AMS_VALUE_STRING)
        s->sid = g_strdup (sid->text);
      else
        ams__report (r, &sid->loc, "Sid must be a string, not %s", ams_value_describe (sid));
    }

  const AmsValue *effect = ams_value_get (v, "Effect");
  if (effect == NULL)
    ams__report (r, &v->loc, "the statement has no Effect: add \"Effect\": \"Allow\" or \"Deny\"");
  else if (effect->kind != AMS_VALUE_STRING)
    ams__report (r, &effect->loc, "Effect must be the string \"Allow\" or \"Deny\", not %s",
                 ams_value_describe (effect));
  else if (strcmp (effect->text, "Allow") == 0)
    s->allow = TRUE;
  else if (strcmp (effect->text, "Deny") != 0)
    {
      static const char *const effects[] = { "Allow", "Deny" };
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "Effect must be \"Allow\" or \"Deny\", not \"%s\"",
                              effect->text);
      const char *sug = ams_suggest (effect->text, effects, G_N_ELEMENTS (effects));
      if (sug != NULL)
        g_string_append_printf (msg, "; did you mean \"%s\"?", sug);
      ams__report (r, &effect->loc, "%s", msg->str);
      g_string_free (msg, TRUE);
    }

  /* Principal / NotPrincipal */
  int ip = ams_value_index (v, "Principal"), inp = ams_value_index (v, "NotPrincipal");
  if (ip >= 0 && inp >= 0)
    ams__report (r, &v->key_locs[inp],
                 "a statement cannot have both Principal and NotPrincipal");
  else if (ip >= 0 || inp >= 0)
    {
      int i = ip >= 0 ? ip : inp;
      const char *element = ip >= 0 ? "Principal" : "NotPrincipal";
      if (p->kind != AMS_POLICY_RESOURCE)
        ams__report (r, &v->key_locs[i],
                     "%s is not allowed in %s: it applies to %s", element, kind_noun (p->kind),
                     p->kind == AMS_POLICY_SCP
                       ? "every principal of the accounts it is attached to"
                       : "the identity it is attached to");
      else
        {
          s->has_principal = TRUE;
          s->not_principal = inp >= 0;
          compile_principal (v->items[i], element, s->principals, r);
        }
    }
  else if (p->kind == AMS_POLICY_RESOURCE)
    ams__report (r, &v->loc,
                 "a statement of a resource policy needs a Principal (or NotPrincipal) naming "
                 "who it allows or denies");

  /* Action / NotAction */
  int ia = ams_value_index (v, "Action"), ina = ams_value_index (v, "NotAction");
  if (ia >= 0 && ina >= 0)
    ams__report (r, &v->key_locs[ina], "a statement cannot have both Action and NotAction");
  else if (ia < 0 && ina < 0)
    ams__report (r, &v->loc,
                 "the statement has no Action (or NotAction): add e.g. \"Action\": "
                 "\"kms:Decrypt\"");
  else
    {
      int i = ia >= 0 ? ia : ina;
      s->not_action = ina >= 0;
      g_autoptr (GPtrArray) vals = g_ptr_array_new ();
      if (collect_strings (v->items[i], v->keys[i], vals, r))
        for (guint j = 0; j < vals->len; j++)
          {
            const AmsValue *a = g_ptr_array_index (vals, j);
            if (check_action (a, r))
              g_ptr_array_add (s->actions, ams__written (a->text));
          }
    }

  /* Resource / NotResource */
  int ir = ams_value_index (v, "Resource"), inr = ams_value_index (v, "NotResource");
  if (ir >= 0 && inr >= 0)
    ams__report (r, &v->key_locs[inr], "a statement cannot have both Resource and NotResource");
  else if (ir < 0 && inr < 0)
    {
      /* In a resource policy an absent Resource means the resource the
       * policy is attached to (trust policies have none); an SCP without
       * one applies to every resource. Identity policies must say. */
      if (p->kind == AMS_POLICY_IDENTITY)
        ams__report (r, &v->loc,
                     "the statement has no Resource (or NotResource): add \"Resource\": \"*\" "
                     "or the ARNs it applies to");
    }
  else
    {
      int i = ir >= 0 ? ir : inr;
      s->has_resource = TRUE;
      s->not_resource = inr >= 0;
      g_autoptr (GPtrArray) vals = g_ptr_array_new ();
      if (collect_strings (v->items[i], v->keys[i], vals, r))
        for (guint j = 0; j < vals->len; j++)
          {
            AmsTemplate *t = compile_resource (g_ptr_array_index (vals, j), p->variables, r);
            if (t != NULL)
              g_ptr_array_add (s->resources, t);
          }
    }

  const AmsValue *cond = ams_value_get (v, "Condition");
  if (cond != NULL)
    ams__conditions_compile (cond, p->variables, s->conditions, s->warnings, r);

  GString *json = g_string_new (NULL);
  ams__json_write (json, v);
  s->json = g_string_free (json, FALSE);

  if (r->n_errors != before)
    {
      ams__statement_free (s);
      return NULL;
    }
  return s;
}

/* ---- documents ------------------------------------------------------------- */

static gboolean
compile_version (AmsPolicy *p, const AmsValue *doc, AmsReporter *r)
{
  const AmsValue *ver = ams_value_get (doc, "Version");
  if (ver == NULL)
    {
      /* IAM then reads the policy as 2008-10-17: no policy variables. */
      p->variables = FALSE;
      return TRUE;
    }
  if (ver->kind == AMS_VALUE_STRING && strcmp (ver->text, "2012-10-17") == 0)
    {
      p->variables = TRUE;
      return TRUE;
    }
  if (ver->kind == AMS_VALUE_STRING && strcmp (ver->text, "2008-10-17") == 0)
    {
      p->variables = FALSE;
      return TRUE;
    }
  if (ver->kind == AMS_VALUE_STRING)
    ams__report (r, &ver->loc,
                 "Version must be \"2012-10-17\" (or the older \"2008-10-17\"), not \"%s\": it "
                 "names the policy language, not the date of your policy", ver->text);
  else
    ams__report (r, &ver->loc, "Version must be the string \"2012-10-17\", not %s",
                 ams_value_describe (ver));
  return FALSE;
}

AmsPolicy *
ams_policy_compile (const AmsValue *doc, AmsPolicyKind kind, const char *name,
                    AmsPolicyErrorFn report, void *user)
{
  g_return_val_if_fail (doc != NULL, NULL);
  AmsReporter r = { report, user, 0 };
  if (doc->kind != AMS_VALUE_OBJECT)
    {
      ams__report (&r, &doc->loc,
                   "a policy document must be an object with \"Version\" and \"Statement\", "
                   "not %s", ams_value_describe (doc));
      return NULL;
    }
  if (!ams__check_controls (doc, &r))
    return NULL;
  g_autoptr (AmsPolicy) p = g_new0 (AmsPolicy, 1);
  p->ref = 1;
  p->name = g_strdup (name != NULL ? name : "policy");
  p->kind = kind;
  p->statements = g_ptr_array_new_with_free_func ((GDestroyNotify) ams__statement_free);
  p->strings = g_string_chunk_new (256);

  for (guint i = 0; i < doc->n; i++)
    {
      const char *k = doc->keys[i];
      if (in_list (k, top_keys, G_N_ELEMENTS (top_keys)))
        continue;
      if (in_list (k, stmt_keys, G_N_ELEMENTS (stmt_keys)))
        {
          ams__report (&r, &doc->key_locs[i],
                       "'%s' belongs in a statement: put the statement in \"Statement\": "
                       "[{…}] next to \"Version\"", k);
          continue;
        }
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "unknown policy element '%s'", k);
      ams_append_suggestion (msg, k, top_keys, G_N_ELEMENTS (top_keys), 12, NULL);
      ams__report (&r, &doc->key_locs[i], "%s", msg->str);
      g_string_free (msg, TRUE);
    }

  compile_version (p, doc, &r);

  const AmsValue *id = ams_value_get (doc, "Id");
  if (id != NULL && id->kind != AMS_VALUE_STRING)
    ams__report (&r, &id->loc, "Id must be a string, not %s", ams_value_describe (id));

  const AmsValue *st = ams_value_get (doc, "Statement");
  if (st == NULL)
    ams__report (&r, &doc->loc, "the policy has no Statement");
  else if (st->kind == AMS_VALUE_OBJECT)
    {
      AmsStatement *s = compile_statement (p, st, &r);
      if (s != NULL)
        g_ptr_array_add (p->statements, s);
    }
  else if (st->kind == AMS_VALUE_ARRAY)
    {
      if (st->n == 0)
        ams__report (&r, &st->loc, "Statement must not be an empty list");
      for (guint i = 0; i < st->n; i++)
        {
          AmsStatement *s = compile_statement (p, st->items[i], &r);
          if (s != NULL)
            g_ptr_array_add (p->statements, s);
        }
    }
  else
    ams__report (&r, &st->loc, "Statement must be an object or a list of objects, not %s",
                 ams_value_describe (st));

  if (r.n_errors > 0)
    return NULL;
  return g_steal_pointer (&p);
}

/* ---- documents held as JSON strings ----------------------------------------- */

/* What AWS hands out as a policy (kms get-key-policy's Policy,
 * Organizations' Policy.Content, Terraform state) is a JSON document held
 * in a string. The string is parsed with this module's JSON reader as a
 * small file of its own, named by the relay, so that the reader's and the
 * compiler's locations can be told apart from any other and moved to where
 * the string itself was written: a person fixes the string there, and the
 * line and column inside it say where to look. */

static const char relay_prefix[] = "in the JSON string at line %u, column %u: %s";

/* `inner` (a path inside the string's document) below `outer` (the
 * string's own path): "a.policy" + "Statement[0].Effect", "" -> "a.policy". */
static char *
join_paths (const char *outer, const char *inner)
{
  if (outer == NULL || *outer == '\0')
    return g_strdup (inner != NULL ? inner : "");
  if (inner == NULL || *inner == '\0')
    return g_strdup (outer);
  return g_strconcat (outer, inner[0] == '[' ? "" : ".", inner, NULL);
}

static gboolean
relay_owns (const AmsStringRelay *sr, const AmsSrcLoc *loc)
{
  /* The reader reports syntax errors with its own pointer; the values it
   * built hold the copy interned in their document. */
  return loc->file != NULL && (loc->file == sr->file || loc->file == sr->interned);
}

static void
relay_report (void *user, const AmsSrcLoc *loc, const char *message)
{
  AmsStringRelay *sr = user;
  if (sr->report == NULL)
    return;
  if (!relay_owns (sr, loc))
    {
      sr->report (sr->user, loc, message);
      return;
    }
  const AmsSrcLoc *outer = &sr->text->loc;
  g_autofree char *path = join_paths (outer->path, loc->path);
  g_autofree char *msg = g_strdup_printf (relay_prefix, loc->line, loc->col, message);
  AmsSrcLoc at = { outer->file, path, outer->line, outer->col, 0 };
  sr->report (sr->user, &at, msg);
}

/* The start of `s` as a quoted JSON string, for messages. */
static char *
excerpt (const char *s)
{
  enum { MAX_CHARS = 40 };
  gsize bytes = strnlen (s, MAX_CHARS * 4 + 4);
  g_autofree char *valid = g_utf8_make_valid (s, (gssize) bytes);
  gboolean cut = g_utf8_strlen (valid, -1) > MAX_CHARS;
  if (cut)
    *g_utf8_offset_to_pointer (valid, MAX_CHARS) = '\0';
  AmsValue v = { .kind = AMS_VALUE_STRING, .text = valid };
  GString *out = g_string_new (NULL);
  ams__json_write (out, &v);
  if (cut)
    g_string_insert (out, out->len - 1, "…");
  return g_string_free (out, FALSE);
}

/* Refuses, at the string's own location, text that cannot be a document:
 * empty, or not starting with '{' (a name, an ARN, a JSON array). */
static gboolean
check_document_start (const AmsValue *text, AmsPolicyErrorFn report, void *user)
{
  const char *s = text->text + strspn (text->text, " \t\r\n");
  if (*s == '{')
    return TRUE;
  g_autofree char *got = *s != '\0'          ? excerpt (text->text)
                         : *text->text == '\0' ? g_strdup ("an empty string")
                                               : g_strdup ("a string of white space only");
  g_autofree char *msg
    = g_strdup_printf ("expected a policy document (a JSON object such as {\"Version\": "
                       "\"2012-10-17\", \"Statement\": [...]}) in the string, got %s", got);
  if (report != NULL)
    report (user, &text->loc, msg);
  return FALSE;
}

AmsValueDoc *
ams__string_doc_parse (AmsStringRelay *sr, const AmsValue *text, AmsPolicyErrorFn report,
                       void *user)
{
  g_return_val_if_fail (text != NULL && text->kind == AMS_VALUE_STRING, NULL);
  *sr = (AmsStringRelay){ .report = report, .user = user, .text = text };
  sr->file = g_strdup_printf ("(the JSON string at %s:%u:%u)",
                              text->loc.file != NULL ? text->loc.file : "", text->loc.line,
                              text->loc.col);
  if (!check_document_start (text, report, user))
    return NULL;
  AmsReporter r = { relay_report, sr, 0 };
  AmsValueDoc *doc = ams__json_parse (sr->file, text->text, &r);
  if (doc != NULL)
    sr->interned = ams_value_doc_intern (doc, sr->file);
  return doc;
}

/* A statement of a string document is cited where the string was written
 * (a file position inside a string would point at nothing a person can
 * find), its path going on into the document; its warnings say where in
 * the string the statement is, as its errors do. */
static void
relocate_statement (AmsPolicy *p, AmsStatement *s, const AmsSrcLoc *outer)
{
  for (guint i = 0; i < s->warnings->len; i++)
    {
      char *w = s->warnings->pdata[i];
      s->warnings->pdata[i] = g_strdup_printf (relay_prefix, s->loc.line, s->loc.col, w);
      g_free (w);
    }
  g_autofree char *path = join_paths (outer->path, s->loc.path);
  AmsSrcLoc at = { outer->file, path, outer->line, outer->col, 0 };
  copy_loc (p, &s->loc, &at);
}

AmsPolicy *
ams__string_doc_compile (AmsStringRelay *sr, const AmsValue *root, AmsPolicyKind kind,
                         const char *name)
{
  AmsPolicy *p = ams_policy_compile (root, kind, name, relay_report, sr);
  for (guint i = 0; p != NULL && i < p->statements->len; i++)
    relocate_statement (p, p->statements->pdata[i], &sr->text->loc);
  return p;
}

void
ams__string_relay_clear (AmsStringRelay *sr)
{
  g_clear_pointer (&sr->file, g_free);
  sr->interned = NULL;
}

AmsPolicy *
ams_policy_compile_string (const AmsValue *text, AmsPolicyKind kind, const char *name,
                           AmsPolicyErrorFn report, void *user)
{
  AmsStringRelay sr;
  g_autoptr (AmsValueDoc) doc = ams__string_doc_parse (&sr, text, report, user);
  AmsPolicy *p = doc != NULL ? ams__string_doc_compile (&sr, ams_value_doc_root (doc), kind, name)
                             : NULL;
  ams__string_relay_clear (&sr);
  return p;
}
