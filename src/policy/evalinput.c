/* amisim — the input of `amisim policy eval FILE` (SCENARIO.md §2).
 *
 * One document names the policies that bear on a request and the request
 * itself; this file checks it key by key (unknown keys get a "did you
 * mean"), compiles the policies, and assembles the AmsPolicySet and
 * AmsRequest that ams_authorize takes. Values that can be inferred are:
 * resource_kind from the action (kms:* -> kms_key; sts:AssumeRole*,
 * sts:TagSession and sts:SetSourceIdentity, which a trust policy must allow
 * itself, -> trust), principal_account and resource_account from the ARNs
 * when they carry an account. An optional member written as null is
 * absent. The request's resource may be "*", for actions without
 * resource-level permissions (the Service Authorization Reference: "you
 * must specify all resources (\"*\") in the Resource element"): it names
 * no account, and no resource_account is required for it. Problems are
 * reported with their locations; nothing is returned unless the whole input
 * is valid, and an input with a control character in any string is refused
 * before anything else (see check_input_controls).
 *
 * A policy document may be given as an object or as a string holding it
 * as JSON (what kms get-key-policy or Organizations describe-policy give):
 * ams_policy_compile_string's rules, problems reported at the string with
 * the line and column inside it. Such strings hold at most
 * AMS__JSON_MAX_STRING_DOCS of text together, however many times a YAML
 * alias repeats one.
 *
 * Extensions beyond SCENARIO.md: "scp" may be a list of layers from the
 * root down, each a list of policies or an object {"name": "ou-…",
 * "policies": [P…]} whose name appears in verdicts.
 */
#include <string.h>

#include "policy-private.h"

struct AmsEvalInput
{
  GPtrArray *identity;     /* of AmsPolicy* (owned refs) */
  AmsPolicy *resource_policy;
  GPtrArray *layers;       /* of GPtrArray* of AmsPolicy* (owned refs) */
  GPtrArray *layer_ptrs;   /* AmsPolicy** per layer, borrowed from `layers` */
  GArray *n_scp;           /* guint per layer */
  GPtrArray *layer_names;  /* char*, NULL-terminated */
  AmsPolicySet set;

  char *resource_id;        /* the resource policy's Id, or NULL */
  guint64 string_bytes;     /* of the documents given as strings, so far */
  gboolean strings_refused; /* past AMS__JSON_MAX_STRING_DOCS: reported once */

  char *action, *resource, *resource_account, *principal, *principal_account;
  AmsContext *context;
  AmsRequest request;
};

void
ams_eval_input_free (AmsEvalInput *in)
{
  if (in == NULL)
    return;
  g_ptr_array_unref (in->identity);
  ams_policy_unref (in->resource_policy);
  g_ptr_array_unref (in->layers);
  g_ptr_array_unref (in->layer_ptrs);
  g_array_unref (in->n_scp);
  g_ptr_array_unref (in->layer_names);
  g_free (in->resource_id);
  g_free (in->action);
  g_free (in->resource);
  g_free (in->resource_account);
  g_free (in->principal);
  g_free (in->principal_account);
  ams_context_free (in->context);
  g_free (in);
}

const AmsPolicySet *
ams_eval_input_policies (const AmsEvalInput *in)
{
  g_return_val_if_fail (in != NULL, NULL);
  return &in->set;
}

const AmsRequest *
ams_eval_input_request (const AmsEvalInput *in)
{
  g_return_val_if_fail (in != NULL, NULL);
  return &in->request;
}

/* ---- helpers ---------------------------------------------------------------- */

static void
forward (void *user, const AmsSrcLoc *loc, const char *message)
{
  ams__report (user, loc, "%s", message);
}

static gboolean
check_member_name (const AmsValue *obj, guint i, AmsReporter *r)
{
  g_autofree char *bad = ams__find_control (obj->keys[i]);
  if (bad == NULL)
    return TRUE;
  ams__report (r, &obj->key_locs[i], "%s of a member name; policy documents and requests hold "
               "no control characters", bad);
  return FALSE;
}

/* Control characters in `v`, as ams__check_controls, except in the strings
 * that may be policy documents (`documents`: below identity, resource and
 * scp, the strings that are not an object's member): a document held as a
 * string is JSON text, whose line breaks and tabs are white space and
 * whose other control characters the JSON reader refuses where they are.
 * A string skipped here that is not a document is in a list that an
 * object member holds (an Action list): part of a document object, which
 * ams_policy_compile checks whole. */
static gboolean
check_controls_in (const AmsValue *v, gboolean documents, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_STRING && documents)
    return TRUE;
  if (v->kind != AMS_VALUE_ARRAY && v->kind != AMS_VALUE_OBJECT)
    return ams__check_controls (v, r);
  gboolean ok = TRUE;
  for (guint i = 0; i < v->n; i++)
    {
      const AmsValue *it = v->items[i];
      if (v->kind == AMS_VALUE_ARRAY)
        {
          ok = check_controls_in (it, documents, r) && ok;
          continue;
        }
      ok = check_member_name (v, i, r) && ok;
      ok = check_controls_in (it, documents && it->kind == AMS_VALUE_ARRAY, r) && ok;
    }
  return ok;
}

/* The members of "policies": identity, resource and scp may hold
 * documents given as strings. */
static gboolean
check_policies_controls (const AmsValue *pol, AmsReporter *r)
{
  static const char *const document_keys[] = { "identity", "resource", "scp" };
  gboolean ok = TRUE;
  for (guint i = 0; i < pol->n; i++)
    {
      gboolean documents = FALSE;
      for (guint j = 0; j < G_N_ELEMENTS (document_keys); j++)
        documents = documents || strcmp (pol->keys[i], document_keys[j]) == 0;
      ok = check_member_name (pol, i, r) && ok;
      ok = check_controls_in (pol->items[i], documents, r) && ok;
    }
  return ok;
}

/* The whole input (an object), in document order. */
static gboolean
check_input_controls (const AmsValue *root, AmsReporter *r)
{
  gboolean ok = TRUE;
  for (guint i = 0; i < root->n; i++)
    {
      const AmsValue *v = root->items[i];
      ok = check_member_name (root, i, r) && ok;
      if (strcmp (root->keys[i], "policies") == 0 && v->kind == AMS_VALUE_OBJECT)
        ok = check_policies_controls (v, r) && ok;
      else
        ok = ams__check_controls (v, r) && ok;
    }
  return ok;
}

/* Reports members of `obj` not in `known`. */
static void
check_keys (const AmsValue *obj, const char *what, const char *const *known, guint n,
            AmsReporter *r)
{
  for (guint i = 0; i < obj->n; i++)
    {
      gboolean ok = FALSE;
      for (guint j = 0; j < n && !ok; j++)
        ok = strcmp (obj->keys[i], known[j]) == 0;
      if (ok)
        continue;
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "unknown key '%s' in %s", obj->keys[i], what);
      ams_append_suggestion (msg, obj->keys[i], known, n, 12, NULL);
      ams__report (r, &obj->key_locs[i], "%s", msg->str);
      g_string_free (msg, TRUE);
    }
}

/* A member that may be left out: NULL when absent or null. */
static const AmsValue *
get_optional (const AmsValue *obj, const char *key)
{
  const AmsValue *v = ams_value_get (obj, key);
  return v != NULL && v->kind == AMS_VALUE_NULL ? NULL : v;
}

/* A required or optional string member; NULL when absent (or, optional,
 * null) or wrong. */
static const char *
get_string (const AmsValue *obj, const char *key, gboolean required, AmsReporter *r,
            const char *example)
{
  const AmsValue *v = required ? ams_value_get (obj, key) : get_optional (obj, key);
  if (v == NULL)
    {
      if (required)
        ams__report (r, &obj->loc, "the request has no \"%s\": add e.g. \"%s\": \"%s\"", key,
                     key, example);
      return NULL;
    }
  if (v->kind == AMS_VALUE_NUMBER && ams__is_account_id (v->text))
    {
      ams__report (r, &v->loc, "%s must be a string: quote it (leading zeros matter)", key);
      return NULL;
    }
  if (v->kind != AMS_VALUE_STRING)
    {
      ams__report (r, &v->loc, "%s must be a string, not %s", key, ams_value_describe (v));
      return NULL;
    }
  if (*v->text == '\0')
    {
      ams__report (r, &v->loc, "%s must not be empty", key);
      return NULL;
    }
  return v->text;
}

/* The Id of a policy document object, or NULL. */
static const char *
document_id (const AmsValue *doc)
{
  const AmsValue *id = ams_value_get (doc, "Id");
  return id != NULL && id->kind == AMS_VALUE_STRING ? id->text : NULL;
}

static char *
policy_name (const char *base, const char *id, guint index)
{
  if (id != NULL)
    return g_strdup_printf ("%s \"%s\"", base, id);
  if (index == 0)
    return g_strdup (base);
  return g_strdup_printf ("%s #%u", base, index);
}

/* ---- policies ---------------------------------------------------------------- */

/* Whether one more document given as a string stays within what all of
 * them may hold together, AMS__JSON_MAX_STRING_DOCS: a YAML alias can
 * repeat a string of the largest size many times for a few bytes each,
 * and each use is parsed and compiled. */
static gboolean
string_within_budget (AmsEvalInput *in, const AmsValue *text, AmsReporter *r)
{
  if (in->strings_refused)
    return FALSE;
  in->string_bytes += strlen (text->text);
  if (in->string_bytes <= AMS__JSON_MAX_STRING_DOCS)
    return TRUE;
  in->strings_refused = TRUE;
  ams__report (r, &text->loc,
               "the policy documents given as JSON strings hold more than %u MiB of text "
               "together (an alias counts each time it is used), the limit; refusing to go on",
               AMS__JSON_MAX_STRING_DOCS / (1024 * 1024));
  return FALSE;
}

/* A document given as a string; *id gets its Id (or NULL) when it parses. */
static AmsPolicy *
compile_string_policy (AmsEvalInput *in, const AmsValue *text, AmsPolicyKind kind,
                       const char *base, guint index, AmsReporter *r, char **id)
{
  if (!string_within_budget (in, text, r))
    return NULL;
  AmsStringRelay sr;
  g_autoptr (AmsValueDoc) doc = ams__string_doc_parse (&sr, text, forward, r);
  AmsPolicy *p = NULL;
  if (doc != NULL)
    {
      const AmsValue *root = ams_value_doc_root (doc);
      g_autofree char *name = policy_name (base, document_id (root), index);
      p = ams__string_doc_compile (&sr, root, kind, name);
      if (id != NULL)
        *id = g_strdup (document_id (root));
    }
  ams__string_relay_clear (&sr);
  return p;
}

/* A policy document, an object or a string holding one. `id` (may be
 * NULL) gets its Id. */
static AmsPolicy *
compile_policy (AmsEvalInput *in, const AmsValue *doc, AmsPolicyKind kind, const char *base,
                guint index, AmsReporter *r, char **id)
{
  if (doc->kind == AMS_VALUE_STRING)
    return compile_string_policy (in, doc, kind, base, index, r, id);
  g_autofree char *name = policy_name (base, document_id (doc), index);
  if (id != NULL)
    *id = g_strdup (document_id (doc));
  return ams_policy_compile (doc, kind, name, forward, r);
}

static void
compile_identity (AmsEvalInput *in, const AmsValue *v, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_NULL)
    return;
  if (v->kind == AMS_VALUE_OBJECT || v->kind == AMS_VALUE_STRING)
    {
      AmsPolicy *p = compile_policy (in, v, AMS_POLICY_IDENTITY, "identity policy", 0, r, NULL);
      if (p != NULL)
        g_ptr_array_add (in->identity, p);
      return;
    }
  if (v->kind != AMS_VALUE_ARRAY)
    {
      ams__report (r, &v->loc, "identity must be a list of policy documents, not %s",
                   ams_value_describe (v));
      return;
    }
  for (guint i = 0; i < v->n; i++)
    {
      AmsPolicy *p = compile_policy (in, v->items[i], AMS_POLICY_IDENTITY, "identity policy",
                                     v->n > 1 ? i + 1 : 0, r, NULL);
      if (p != NULL)
        g_ptr_array_add (in->identity, p);
    }
}

static void
add_layer (AmsEvalInput *in, GPtrArray *policies, char *name)
{
  g_ptr_array_add (in->layers, policies);
  g_ptr_array_add (in->layer_ptrs, policies->pdata);
  guint n = policies->len;
  g_array_append_val (in->n_scp, n);
  g_ptr_array_add (in->layer_names, name);
}

/* A list of SCP documents forming one layer. */
static GPtrArray *
compile_layer (AmsEvalInput *in, const AmsValue *list, guint layer, AmsReporter *r)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_policy_unref);
  for (guint i = 0; i < list->n; i++)
    {
      const AmsValue *doc = list->items[i];
      if (doc->kind != AMS_VALUE_OBJECT && doc->kind != AMS_VALUE_STRING)
        {
          ams__report (r, &doc->loc, "an SCP must be a policy document (an object, or a JSON "
                       "string holding one), not %s", ams_value_describe (doc));
          continue;
        }
      g_autofree char *base = g_strdup_printf ("SCP %u.%u", layer + 1, i + 1);
      AmsPolicy *p = compile_policy (in, doc, AMS_POLICY_SCP, base, 0, r, NULL);
      if (p != NULL)
        g_ptr_array_add (out, p);
    }
  /* g_ptr_array pdata may move while growing: take it only when done. */
  return out;
}

static void
compile_scp (AmsEvalInput *in, const AmsValue *v, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_NULL)
    return;
  if (v->kind != AMS_VALUE_ARRAY)
    {
      ams__report (r, &v->loc,
                   "scp must be a list of SCP documents (one layer) or a list of layers "
                   "from the root down, not %s", ams_value_describe (v));
      return;
    }
  if (v->n == 0)
    return;
  guint n_docs = 0;
  for (guint i = 0; i < v->n; i++)
    {
      const AmsValue *it = v->items[i];
      gboolean layer = it->kind == AMS_VALUE_ARRAY
                       || (it->kind == AMS_VALUE_OBJECT && ams_value_get (it, "policies") != NULL);
      if (!layer)
        n_docs++;
    }
  if (n_docs == v->n)
    {
      add_layer (in, compile_layer (in, v, 0, r), g_strdup ("the SCP layer"));
      return;
    }
  if (n_docs > 0)
    {
      ams__report (r, &v->loc,
                   "scp mixes policy documents with layers: give either one list of SCPs, "
                   "or a list of layers (each a list of SCPs or {\"name\", \"policies\"})");
      return;
    }
  for (guint l = 0; l < v->n; l++)
    {
      const AmsValue *it = v->items[l];
      if (it->kind == AMS_VALUE_ARRAY)
        {
          add_layer (in, compile_layer (in, it, l, r), g_strdup_printf ("SCP level %u", l + 1));
          continue;
        }
      static const char *const layer_keys[] = { "name", "policies" };
      check_keys (it, "an SCP layer", layer_keys, G_N_ELEMENTS (layer_keys), r);
      const AmsValue *pol = ams_value_get (it, "policies");
      const char *name = get_string (it, "name", FALSE, r, "");
      if (pol->kind != AMS_VALUE_ARRAY)
        {
          ams__report (r, &pol->loc, "policies must be a list of SCP documents, not %s",
                       ams_value_describe (pol));
          continue;
        }
      add_layer (in, compile_layer (in, pol, l, r),
                 name != NULL ? g_strdup (name) : g_strdup_printf ("SCP level %u", l + 1));
    }
}

static gboolean
parse_resource_kind (const AmsValue *v, AmsResourceKind *out, AmsReporter *r)
{
  static const char *const kinds[] = { "kms_key", "trust", "generic" };
  if (v->kind != AMS_VALUE_STRING)
    {
      ams__report (r, &v->loc, "resource_kind must be \"kms_key\", \"trust\" or \"generic\", "
                   "not %s", ams_value_describe (v));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (v->text, kinds[i]) == 0)
      {
        *out = (AmsResourceKind[]){ AMS_RESOURCE_KMS_KEY, AMS_RESOURCE_TRUST,
                                    AMS_RESOURCE_GENERIC }[i];
        return TRUE;
      }
  GString *msg = g_string_new (NULL);
  g_string_append_printf (msg, "unknown resource_kind '%s'", v->text);
  ams_append_suggestion (msg, v->text, kinds, G_N_ELEMENTS (kinds), 12, NULL);
  ams__report (r, &v->loc, "%s", msg->str);
  g_string_free (msg, TRUE);
  return FALSE;
}

static void
compile_policies (AmsEvalInput *in, const AmsValue *v, AmsReporter *r,
                  const AmsValue **resource_kind)
{
  static const char *const keys[] = { "identity", "resource", "resource_kind", "scp" };
  if (v->kind != AMS_VALUE_OBJECT)
    {
      ams__report (r, &v->loc,
                   "policies must be an object with \"identity\", \"resource\" and \"scp\", "
                   "not %s", ams_value_describe (v));
      return;
    }
  check_keys (v, "policies", keys, G_N_ELEMENTS (keys), r);
  const AmsValue *id = ams_value_get (v, "identity");
  if (id != NULL)
    compile_identity (in, id, r);
  *resource_kind = get_optional (v, "resource_kind");
  const AmsValue *res = ams_value_get (v, "resource");
  if (res != NULL && res->kind != AMS_VALUE_NULL)
    {
      if (res->kind != AMS_VALUE_OBJECT && res->kind != AMS_VALUE_STRING)
        ams__report (r, &res->loc, "resource must be a policy document (an object, or a JSON "
                     "string holding one) or null, not %s", ams_value_describe (res));
      else
        in->resource_policy = compile_policy (in, res, AMS_POLICY_RESOURCE, "resource policy",
                                              0, r, &in->resource_id);
    }
  const AmsValue *scp = ams_value_get (v, "scp");
  if (scp != NULL)
    compile_scp (in, scp, r);
}

/* ---- request ----------------------------------------------------------------- */

static gboolean
is_service_principal (const char *s)
{
  return g_str_has_suffix (s, ".amazonaws.com") || g_str_has_suffix (s, ".amazonaws.com.cn");
}

/* The account part of an ARN when it is 12 digits, else NULL (a copy). */
static char *
arn_account (const char *arn)
{
  g_autofree char *buf = NULL;
  const char *p[6];
  if (!g_str_has_prefix (arn, "arn:") || !ams__arn_split (arn, &buf, p)
      || !ams__is_account_id (p[4]))
    return NULL;
  return g_strdup (p[4]);
}

static void
compile_context (AmsEvalInput *in, const AmsValue *v, AmsReporter *r)
{
  if (v->kind == AMS_VALUE_NULL)
    return;
  if (v->kind != AMS_VALUE_OBJECT)
    {
      ams__report (r, &v->loc,
                   "context must be an object of condition keys, like {\"aws:PrincipalOrgID\": "
                   "\"o-…\"}, not %s", ams_value_describe (v));
      return;
    }
  for (guint i = 0; i < v->n; i++)
    {
      const char *key = v->keys[i];
      const AmsValue *val = v->items[i];
      if (strchr (key, ':') == NULL)
        {
          ams__report (r, &v->key_locs[i],
                       "context key '%s' needs a service prefix, like aws:PrincipalOrgID", key);
          continue;
        }
      if (ams_value_is_scalar (val))
        {
          ams_context_add (in->context, key, val->text);
          continue;
        }
      if (val->kind != AMS_VALUE_ARRAY)
        {
          ams__report (r, &val->loc,
                       "a context value must be a string or a list of strings, not %s",
                       ams_value_describe (val));
          continue;
        }
      if (val->n == 0)
        {
          ams__report (r, &val->loc,
                       "context key '%s' has an empty list: leave the key out for a request "
                       "without it", key);
          continue;
        }
      for (guint j = 0; j < val->n; j++)
        {
          if (ams_value_is_scalar (val->items[j]))
            ams_context_add (in->context, key, val->items[j]->text);
          else
            ams__report (r, &val->items[j]->loc, "a context value must be a string, not %s",
                         ams_value_describe (val->items[j]));
        }
    }
}

static void
compile_request (AmsEvalInput *in, const AmsValue *v, AmsReporter *r)
{
  static const char *const keys[] = {
    "action", "resource", "resource_account", "principal", "principal_account", "context",
  };
  if (v->kind != AMS_VALUE_OBJECT)
    {
      ams__report (r, &v->loc, "request must be an object with \"action\", \"resource\", "
                   "\"principal\", …, not %s", ams_value_describe (v));
      return;
    }
  check_keys (v, "request", keys, G_N_ELEMENTS (keys), r);

  const char *action = get_string (v, "action", TRUE, r, "kms:Decrypt");
  if (action != NULL)
    {
      const char *colon = strchr (action, ':');
      if (colon == NULL || colon == action || colon[1] == '\0' || strpbrk (action, "*? ") != NULL)
        ams__report (r, &ams_value_get (v, "action")->loc,
                     "action '%s' must be one action of the form service:Action, like "
                     "kms:Decrypt (no wildcards: a request does one thing)", action);
      else
        in->action = g_strdup (action);
    }

  const char *resource = get_string (v, "resource", TRUE, r,
                                     "arn:aws:kms:us-east-1:111111111111:key/example");
  gboolean any_resource = resource != NULL && strcmp (resource, "*") == 0;
  if (resource != NULL)
    {
      g_autofree char *buf = NULL;
      const char *p[6];
      if (!any_resource
          && (!g_str_has_prefix (resource, "arn:") || !ams__arn_split (resource, &buf, p)))
        ams__report (r, &ams_value_get (v, "resource")->loc,
                     "resource '%s' must be an ARN "
                     "(arn:partition:service:region:account:resource), or \"*\" for an "
                     "action without resource-level permissions", resource);
      else
        in->resource = g_strdup (resource);
    }

  const char *principal = get_string (v, "principal", TRUE, r,
                                      "arn:aws:iam::222222222222:role/R");
  gboolean service = principal != NULL && is_service_principal (principal);
  g_autofree char *principal_arn_account = NULL;
  if (principal != NULL && !service)
    {
      g_autofree char *buf = NULL;
      const char *p[6];
      if (!g_str_has_prefix (principal, "arn:") || !ams__arn_split (principal, &buf, p)
          || (strcmp (p[2], "iam") != 0 && strcmp (p[2], "sts") != 0))
        ams__report (r, &ams_value_get (v, "principal")->loc,
                     "principal '%s' must be an IAM ARN (arn:aws:iam::ACCOUNT:role/NAME) or a "
                     "service (imagebuilder.amazonaws.com)", principal);
      else
        {
          in->principal = g_strdup (principal);
          principal_arn_account = arn_account (principal);
        }
    }
  else if (principal != NULL)
    in->principal = g_strdup (principal);

  const AmsValue *pa_node = get_optional (v, "principal_account");
  const char *pa = get_string (v, "principal_account", FALSE, r, "");
  if (pa_node != NULL && service)
    ams__report (r, &pa_node->loc,
                 "a service principal (%s) has no account: remove principal_account",
                 principal);
  else if (pa != NULL && !ams__is_account_id (pa))
    ams__report (r, &pa_node->loc, "principal_account '%s' must be 12 digits", pa);
  else if (pa != NULL && principal_arn_account != NULL && strcmp (pa, principal_arn_account) != 0)
    ams__report (r, &pa_node->loc,
                 "principal_account %s does not match the account in the principal ARN (%s)",
                 pa, principal_arn_account);
  else if (pa != NULL)
    in->principal_account = g_strdup (pa);
  else if (in->principal != NULL && !service)
    {
      if (principal_arn_account != NULL)
        in->principal_account = g_strdup (principal_arn_account);
      else
        ams__report (r, &v->loc,
                     "the request has no \"principal_account\" and the principal ARN names "
                     "no account: add \"principal_account\": \"222222222222\"");
    }

  const AmsValue *ra_node = get_optional (v, "resource_account");
  const char *ra = get_string (v, "resource_account", FALSE, r, "");
  if (ra != NULL && !ams__is_account_id (ra))
    ams__report (r, &ra_node->loc, "resource_account '%s' must be 12 digits", ra);
  else if (ra != NULL)
    in->resource_account = g_strdup (ra);
  else if (ra_node == NULL && in->resource != NULL && !any_resource)
    {
      in->resource_account = arn_account (in->resource);
      /* AMI ARNs carry no account: say so, unless the principal is a
       * service (which the resource policy alone decides for). */
      if (in->resource_account == NULL && !service && principal != NULL)
        ams__report (r, &v->loc,
                     "the request has no \"resource_account\" and the resource ARN names no "
                     "account: add \"resource_account\": \"111111111111\"");
    }

  const AmsValue *ctx = ams_value_get (v, "context");
  if (ctx != NULL)
    compile_context (in, ctx, r);
}

/* ---- entry point -------------------------------------------------------------- */

AmsEvalInput *
ams_eval_input_compile (const AmsValue *root, AmsPolicyErrorFn report, void *user)
{
  g_return_val_if_fail (root != NULL, NULL);
  AmsReporter r = { report, user, 0 };
  if (root->kind != AMS_VALUE_OBJECT)
    {
      ams__report (&r, &root->loc,
                   "the input must be an object with \"policies\" and \"request\", not %s",
                   ams_value_describe (root));
      return NULL;
    }
  if (!check_input_controls (root, &r))
    return NULL;
  g_autoptr (AmsEvalInput) in = g_new0 (AmsEvalInput, 1);
  in->identity = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_policy_unref);
  in->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  in->layer_ptrs = g_ptr_array_new ();
  in->n_scp = g_array_new (FALSE, FALSE, sizeof (guint));
  in->layer_names = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  in->context = ams_context_new ();

  static const char *const keys[] = { "policies", "request" };
  check_keys (root, "the input", keys, G_N_ELEMENTS (keys), &r);
  const AmsValue *resource_kind = NULL;
  const AmsValue *pol = ams_value_get (root, "policies");
  if (pol == NULL)
    ams__report (&r, &root->loc, "the input has no \"policies\"");
  else
    compile_policies (in, pol, &r, &resource_kind);
  const AmsValue *req = ams_value_get (root, "request");
  if (req == NULL)
    ams__report (&r, &root->loc, "the input has no \"request\"");
  else
    compile_request (in, req, &r);

  AmsResourceKind kind = AMS_RESOURCE_GENERIC;
  if (resource_kind != NULL)
    parse_resource_kind (resource_kind, &kind, &r);
  else if (in->action != NULL && g_ascii_strncasecmp (in->action, "kms:", 4) == 0)
    kind = AMS_RESOURCE_KMS_KEY;
  else if (ams__action_assumes_role (in->action))
    kind = AMS_RESOURCE_TRUST;

  if (r.n_errors > 0)
    return NULL;

  /* Now that the kind is known, the resource policy can be named for what
   * it is in verdicts. The policy is not shared yet, so renaming is safe. */
  if (in->resource_policy != NULL)
    {
      const char *noun = kind == AMS_RESOURCE_KMS_KEY ? "key policy"
                         : kind == AMS_RESOURCE_TRUST ? "trust policy" : "resource policy";
      g_autofree char *name = policy_name (noun, in->resource_id, 0);
      g_free (in->resource_policy->name);
      in->resource_policy->name = g_steal_pointer (&name);
    }

  in->set.identity = (AmsPolicy *const *) in->identity->pdata;
  in->set.n_identity = in->identity->len;
  in->set.resource = in->resource_policy;
  in->set.resource_kind = kind;
  in->set.scp_layers = (AmsPolicy *const *const *) in->layer_ptrs->pdata;
  in->set.n_scp = in->n_scp->len > 0 ? &g_array_index (in->n_scp, guint, 0) : NULL;
  in->set.scp_layer_names = (const char *const *) in->layer_names->pdata;
  in->set.n_scp_layers = in->layers->len;

  in->request.action = in->action;
  in->request.resource = in->resource;
  in->request.resource_account = in->resource_account;
  in->request.principal = in->principal;
  in->request.principal_account = in->principal_account;
  in->request.context = in->context;
  return g_steal_pointer (&in);
}
