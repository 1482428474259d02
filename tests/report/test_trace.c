/* Trace and narration tests: trace kinds and their names, the trace file's
 * filters (account, region, image, kind, and combinations) with exact line
 * counts on a small scenario, every line parsing as JSON, the same bytes
 * for the same seed, the file written whole or not at all, bad filters,
 * the narration's key lines (a pool filling and draining, a copy failing
 * with its key-policy reason, the image's end), its hourly cap, and the
 * command line (bad filters exit 2, no progress bar when stderr is not a
 * terminal). */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ams_proc.h"
#include "amisim/engine.h"
#include "amisim/tracelog.h"
#include "amisim/value.h"
#include "amisim/world.h"
#include "cli/cli-private.h"

/* Two pipelines built at 02:00, their tests done at 02:50. golden (encrypted
 * with alias/ami-factory) copies to 222222222222 and 444444444444 in
 * us-east-1; the key policy lets the workloads OU in by its exact path, so
 * 444444444444 (in prod, below it) fails with key_policy_denies when its
 * transfer starts. second (unencrypted) copies to 222222222222 in both
 * regions and to the owner in eu-west-1. One copy at a time per pool: the
 * second copy into 222222222222/us-east-1 waits 20 minutes. */
static const char scenario_yaml[] =
  "amisim: 1\n"
  "name: trace-test\n"
  "seed: 3\n"
  "start: 2026-01-05T00:00:00Z\n"
  "horizon: 6h\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: '111111111111'\n"
  "    root: r-a1b2\n"
  "    units:\n"
  "      - id: ou-a1b2-aaaaaaaa\n"
  "        accounts: ['222222222222']\n"
  "        units: [{id: ou-a1b2-bbbbbbbb, accounts: ['444444444444']}]\n"
  "x-role: &role\n"
  "  name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "  trust: {Version: '2012-10-17', Statement: [{Effect: Allow,\n"
  "          Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'sts:AssumeRole'}]}\n"
  "  managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "  inline_policies: [{Version: '2012-10-17', Statement: [{Effect: Allow,\n"
  "    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*',\n"
  "             'kms:GenerateDataKey*', 'kms:Encrypt'], Resource: '*'}]}]\n"
  "accounts:\n"
  "  - id: '111111111111'\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/ami-factory\n"
  "        policy:\n"
  "          Version: '2012-10-17'\n"
  "          Statement:\n"
  "            - {Sid: Admin, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'},\n"
  "               Action: 'kms:*', Resource: '*'}\n"
  "            - Sid: Workloads\n"
  "              Effect: Allow\n"
  "              Principal: '*'\n"
  "              Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant',\n"
  "                       'kms:ReEncrypt*', 'kms:GenerateDataKey*']\n"
  "              Resource: '*'\n"
  "              Condition:\n"
  "                StringEquals: {'aws:PrincipalOrgID': o-a1b2c3d4e5}\n"
  "                'ForAnyValue:StringLike':\n"
  "                  'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/']\n"
  "  - {id: '222222222222', roles: [*role]}\n"
  "  - {id: '444444444444', roles: [*role]}\n"
  "x-pipeline: &pipeline\n"
  "  account: '111111111111'\n"
  "  region: us-east-1\n"
  "  schedule: {scheduleExpression: 'cron(0 2 * * ? *)'}\n"
  "  build_time: 40m\n"
  "  test_time: 10m\n"
  "pipelines:\n"
  "  - <<: *pipeline\n"
  "    name: golden\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/ami-factory}\n"
  "    distribution:\n"
  "      name: golden\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            targetAccountIds: ['222222222222', '444444444444']\n"
  "  - <<: *pipeline\n"
  "    name: second\n"
  "    recipe: {name: second, version: 1.0.0}\n"
  "    distribution:\n"
  "      name: second\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: ['222222222222']}\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: ['222222222222']}\n"
  "simulation:\n"
  "  limits: {copies_per_account_region: 1}\n"
  "  copy: {model: duration, duration: fixed(20m)}\n";

static AmsScenario *
load_scenario (void)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("trace-test.yaml", scenario_yaml, -1, NULL, 0,
                                            &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  g_assert_nonnull (sc);
  return sc;
}

static void
on_trace (void *user, const AmsTraceEvent *ev)
{
  ams_trace_writer_event (user, ev);
}

/* Runs the test scenario with a trace filtered by `f` into `path`; returns
 * the file's text. */
static char *
traced_run (const char *path, const AmsTraceFilter *f)
{
  g_autoptr (AmsScenario) sc = load_scenario ();
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsTraceWriter) w = ams_trace_writer_new (path, f, &error);
  g_assert_nonnull (w);
  AmsTraceHeader h = { .scenario = sc->name, .scenario_file = sc->file, .seed = sc->seed,
                       .start = sc->start, .horizon = sc->horizon, .replication = 0 };
  ams_trace_writer_header (w, &h);
  g_autoptr (AmsWorld) world = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, world, sc->seed, 0);
  AmsTracer t = { .event = on_trace, .user = w };
  ams_engine_set_tracer (e, &t);
  ams_engine_run (e);
  g_assert_true (ams_trace_writer_commit (w, &error));
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* The string member `key` of a parsed line, or NULL. */
static const char *
member (const AmsValue *line, const char *key)
{
  const AmsValue *v = ams_value_get (line, key);
  return v != NULL && v->kind == AMS_VALUE_STRING ? v->text : NULL;
}

static gboolean
listed (const char *const *list, const char *s)
{
  if (list == NULL)
    return TRUE;
  for (; *list; list++)
    if (s != NULL && strcmp (*list, s) == 0)
      return TRUE;
  return FALSE;
}

static void
test_trace_kind_names (void)
{
  CU_ASSERT_EQUAL (AMS_TRACE_N_KINDS, 28);
  for (guint i = 0; i < AMS_TRACE_N_KINDS; i++)
    {
      const char *name = ams_trace_kind_name (i);
      AmsTraceKind k = AMS_TRACE_N_KINDS;
      CU_ASSERT_TRUE (ams_trace_kind_from_name (name, &k));
      CU_ASSERT_EQUAL (k, i);
      for (const char *p = name; *p; p++)
        CU_ASSERT_TRUE (g_ascii_islower (*p) || *p == '_');
    }
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_COPY_STARTED), "copy_started");
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_LIFECYCLE_ACTION), "lifecycle_action");
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_INVITATION), "invitation");
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_EVENT_REFUSED), "event_refused");
  CU_ASSERT_FALSE (ams_trace_kind_from_name ("copy_start", NULL));
}

/* Every line of the full trace parses as a JSON object with the fields
 * its kind promises; the counts per kind are those of the scenario. */
static void
test_trace_lines_parse (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "trace.jsonl", NULL);
  g_autofree char *text = traced_run (path, NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  double last = -1.0;
  guint n = 0;
  /* the header first: what run this is, on which clock */
  CU_ASSERT_STRING_EQUAL_FATAL (lines[0],
    "{\"t_s\": 0.000000, \"t_at\": \"2026-01-05T00:00:00.000Z\", \"kind\": \"header\", "
    "\"amisim_version\": \"" PACKAGE_VERSION "\", \"scenario\": \"trace-test\", "
    "\"scenario_file\": \"trace-test.yaml\", \"seed\": 3, \"start\": "
    "\"2026-01-05T00:00:00.000Z\", \"horizon_s\": 21600.000000, \"replication\": 0}");
  for (char **l = lines + 1; *l && **l; l++, n++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AmsValueDoc) doc = ams_value_load_data ("line", *l, -1, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
      const AmsValue *v = ams_value_doc_root (doc);
      CU_ASSERT_EQUAL_FATAL (v->kind, AMS_VALUE_OBJECT);
      CU_ASSERT_STRING_EQUAL (v->keys[0], "t_s");
      CU_ASSERT_STRING_EQUAL (v->keys[1], "t_at");
      CU_ASSERT_STRING_EQUAL (v->keys[2], "kind");
      const AmsValue *t = ams_value_get (v, "t_s");
      CU_ASSERT_EQUAL_FATAL (t->kind, AMS_VALUE_NUMBER);
      const char *dot = strchr (t->text, '.');
      CU_ASSERT_TRUE (dot != NULL && strlen (dot + 1) == 6); /* six decimals, always */
      double ts = g_ascii_strtod (t->text, NULL);
      CU_ASSERT_TRUE (ts >= last); /* in simulated order */
      /* t_at: the same instant, start + t_s, to the millisecond */
      AmsTime at;
      CU_ASSERT_TRUE (ams_parse_time (member (v, "t_at"), &at, NULL));
      CU_ASSERT_EQUAL (at, INT64_C (1767571200000000)
                             + (AmsTime) (g_ascii_strtoll (t->text, NULL, 10) * 1000000
                                          + g_ascii_strtoll (dot + 1, NULL, 10) / 1000 * 1000));
      last = ts;
      const char *kind = member (v, "kind");
      CU_ASSERT_TRUE (kind != NULL && ams_trace_kind_from_name (kind, NULL));
      g_hash_table_insert (kinds, g_strdup (kind),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kinds, kind))
                                             + 1));
      if (g_str_has_prefix (kind, "copy_") || strcmp (kind, "pool_state") == 0)
        {
          CU_ASSERT_PTR_NOT_NULL (member (v, "account"));
          CU_ASSERT_PTR_NOT_NULL (member (v, "region"));
          CU_ASSERT_PTR_NOT_NULL (ams_value_get (v, "busy"));
          CU_ASSERT_PTR_NOT_NULL (ams_value_get (v, "queued"));
          const AmsValue *limit = ams_value_get (v, "limit");
          CU_ASSERT_TRUE (limit != NULL && strcmp (limit->text, "1") == 0);
        }
      if (g_str_has_prefix (kind, "copy_") || g_str_has_prefix (kind, "image_"))
        {
          CU_ASSERT_PTR_NOT_NULL (member (v, "pipeline"));
          CU_ASSERT_PTR_NULL (ams_value_get (v, "image"));
          CU_ASSERT_PTR_NOT_NULL (member (v, "version"));
        }
      if (strcmp (kind, "copy_failed") == 0)
        {
          CU_ASSERT_STRING_EQUAL (member (v, "account"), "444444444444");
          CU_ASSERT_STRING_EQUAL (member (v, "cause"), "key_policy_denies");
          CU_ASSERT_STRING_EQUAL (member (v, "step"), "decrypt");
          CU_ASSERT_PTR_NOT_NULL (
            strstr (member (v, "message"), "key policy of alias/ami-factory"));
        }
      if (strcmp (kind, "copy_queued") == 0)
        {
          CU_ASSERT_STRING_EQUAL (member (v, "account"), "222222222222");
          CU_ASSERT_STRING_EQUAL (member (v, "region"), "us-east-1");
          CU_ASSERT_STRING_EQUAL (ams_value_get (v, "queued")->text, "1");
        }
    }
  static const struct
  {
    const char *kind;
    guint count;
  } want[] = {
    { "image_started", 2 }, { "build_started", 2 },  { "build_done", 2 },
    { "distribution_started", 2 }, { "copy_requested", 5 }, { "copy_queued", 1 },
    { "copy_started", 4 },  { "copy_done", 4 },      { "copy_failed", 1 },
    { "pool_state", 10 },   { "image_available", 1 }, { "image_failed", 1 },
  };
  guint total = 0;
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      guint got = GPOINTER_TO_UINT (g_hash_table_lookup (kinds, want[i].kind));
      if (got != want[i].count)
        printf ("\n    %s: got %u, want %u\n", want[i].kind, got, want[i].count);
      CU_ASSERT_EQUAL (got, want[i].count);
      total += want[i].count;
    }
  CU_ASSERT_EQUAL (n, total);
  CU_ASSERT_EQUAL (g_hash_table_size (kinds), G_N_ELEMENTS (want));
  g_unlink (path);
  g_rmdir (tmp);
}

/* Each filter keeps exactly the lines of the full trace whose fields match
 * every list given, in the same order and the same bytes. */
static void
test_trace_filters (void)
{
  static const char *const acc_444[] = { "444444444444", NULL };
  static const char *const acc_111_444[] = { "111111111111", "444444444444", NULL };
  static const char *const acc_222[] = { "222222222222", NULL };
  static const char *const eu[] = { "eu-west-1", NULL };
  static const char *const us[] = { "us-east-1", NULL };
  static const char *const golden[] = { "golden", NULL };
  static const char *const second[] = { "second", NULL };
  static const char *const failed[] = { "copy_failed", NULL };
  static const char *const ends[] = { "copy_done", "copy_failed", NULL };
  static const char *const pools[] = { "pool_state", NULL };
  static const char *const done[] = { "copy_done", NULL };
  static const struct
  {
    AmsTraceFilter f;
    guint lines;
  } cases[] = {
    /* each with the header line, whatever the filter */
    { { NULL }, 36 },
    { { .accounts = acc_444 }, 5 },       /* requested, failed at transfer, its pool twice */
    { { .accounts = acc_111_444 }, 20 },  /* + the owner's image events and eu-west-1 copy */
    { { .regions = eu }, 11 },
    { { .images = golden }, 12 },         /* image events and copies, no pool_state */
    { { .kinds = failed }, 2 },
    { { .kinds = ends }, 6 },
    { { .accounts = acc_222, .regions = us, .kinds = pools }, 5 },
    { { .images = second, .regions = eu, .kinds = done }, 3 },
    { { .images = golden, .accounts = acc_222, .kinds = ends }, 2 },
  };
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *full_path = g_build_filename (tmp, "full.jsonl", NULL);
  g_autofree char *full = traced_run (full_path, NULL);
  g_auto (GStrv) full_lines = g_strsplit (full, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AmsTraceFilter *f = &cases[i].f;
      g_autofree char *path = g_build_filename (tmp, "part.jsonl", NULL);
      g_autofree char *text = traced_run (path, f);
      if (count_lines (text) != cases[i].lines)
        printf ("\n    case %u: got %u lines, want %u\n", i, count_lines (text), cases[i].lines);
      CU_ASSERT_EQUAL (count_lines (text), cases[i].lines);
      /* the same lines, chosen from the full trace by their parsed fields */
      g_autoptr (GString) expect = g_string_new (NULL);
      g_string_append_printf (expect, "%s\n", full_lines[0]); /* the header */
      for (char **l = full_lines + 1; *l && **l; l++)
        {
          g_autoptr (AmsValueDoc) doc = ams_value_load_data ("line", *l, -1, NULL);
          const AmsValue *v = ams_value_doc_root (doc);
          if (listed (f->accounts, member (v, "account"))
              && listed (f->regions, member (v, "region"))
              && listed (f->images, member (v, "pipeline"))
              && listed (f->kinds, member (v, "kind")))
            g_string_append_printf (expect, "%s\n", *l);
        }
      CU_ASSERT_STRING_EQUAL (text, expect->str);
      g_unlink (path);
    }
  g_unlink (full_path);
  g_rmdir (tmp);
}

static void
test_trace_deterministic (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (tmp, "a.jsonl", NULL);
  g_autofree char *b = g_build_filename (tmp, "b.jsonl", NULL);
  g_autofree char *ta = traced_run (a, NULL);
  g_autofree char *tb = traced_run (b, NULL);
  CU_ASSERT_STRING_EQUAL (ta, tb);
  CU_ASSERT_TRUE (strlen (ta) > 0);
  g_unlink (a);
  g_unlink (b);
  g_rmdir (tmp);
}

/* Whole or not at all: nothing at the path, and no temporary, until
 * commit; a writer freed uncommitted leaves nothing behind. */
static void
test_trace_whole_or_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "t.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  AmsTraceWriter *w = ams_trace_writer_new (path, NULL, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  AmsTraceEvent ev = { .t = 1500000, .kind = AMS_TRACE_POOL_STATE, .account = "222222222222",
                       .region = "eu-west-1", .has_pool = TRUE, .busy = 2, .queued = 1,
                       .limit = 2 };
  ams_trace_writer_event (w, &ev);
  CU_ASSERT_EQUAL (ams_trace_writer_lines (w), 1);
  CU_ASSERT_FALSE (g_file_test (path, G_FILE_TEST_EXISTS));
  ams_trace_writer_free (w);
  CU_ASSERT_FALSE (g_file_test (path, G_FILE_TEST_EXISTS));
  g_autoptr (GDir) d = g_dir_open (tmp, 0, NULL);
  CU_ASSERT_PTR_NULL (g_dir_read_name (d)); /* no temporary left */

  w = ams_trace_writer_new (path, NULL, &error);
  ams_trace_writer_event (w, &ev);
  CU_ASSERT_TRUE (ams_trace_writer_commit (w, &error));
  ams_trace_writer_free (w);
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (path, &text, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (text, "{\"t_s\": 1.500000, \"t_at\": \"1970-01-01T00:00:01.500Z\", "
                                "\"kind\": \"pool_state\", \"account\": "
                                "\"222222222222\", \"region\": \"eu-west-1\", \"busy\": 2, "
                                "\"queued\": 1, \"limit\": 2}\n");
  g_unlink (path);

  /* a folder that does not exist: an error naming the path */
  g_autofree char *bad = g_build_filename (tmp, "no", "such", "t.jsonl", NULL);
  CU_ASSERT_PTR_NULL (ams_trace_writer_new (bad, NULL, &error));
  CU_ASSERT_TRUE (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  CU_ASSERT_TRUE (g_str_has_prefix (error->message, "--trace "));
  g_rmdir (tmp);
}

static void
test_trace_filter_check (void)
{
  g_autoptr (AmsScenario) sc = load_scenario ();
  static const char *const bad_kind[] = { "copy_done", "copy_finished", NULL };
  static const char *const bad_region[] = { "mars-east-1", NULL };
  static const char *const bad_image[] = { "gold", NULL };
  static const char *const good_region[] = { "eu-west-1", NULL };
  g_autoptr (GError) error = NULL;
  AmsTraceFilter f = { .kinds = bad_kind };
  CU_ASSERT_FALSE (ams_trace_filter_check (&f, sc, &error));
  CU_ASSERT_TRUE (g_str_has_prefix (error->message, "--trace-kind copy_finished: no such event "
                                                    "kind; the kinds are: image_started, "));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, ", launch_failed"));
  g_clear_error (&error);
  f = (AmsTraceFilter) { .regions = bad_region };
  CU_ASSERT_FALSE (ams_trace_filter_check (&f, sc, &error));
  CU_ASSERT_STRING_EQUAL (error->message, "--trace-region mars-east-1: the scenario has no such "
                                          "region");
  g_clear_error (&error);
  f = (AmsTraceFilter) { .images = bad_image };
  CU_ASSERT_FALSE (ams_trace_filter_check (&f, sc, &error));
  CU_ASSERT_STRING_EQUAL (error->message, "--trace-image gold: the scenario has no pipeline so "
                                          "named");
  g_clear_error (&error);
  f = (AmsTraceFilter) { .regions = good_region };
  CU_ASSERT_TRUE (ams_trace_filter_check (&f, sc, &error));
  CU_ASSERT_PTR_NULL (error);
}

/* ---- narration ---------------------------------------------------------- */

static void
on_narrate (void *user, const AmsTraceEvent *ev)
{
  ams_narrator_event (user, ev);
}

static char *
narrated_run (void)
{
  g_autoptr (AmsScenario) sc = load_scenario ();
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  g_assert_nonnull (out);
  AmsNarrator *n = ams_narrator_new (out, sc->start, 24);
  g_autoptr (AmsWorld) world = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, world, sc->seed, 0);
  AmsTracer t = { .event = on_narrate, .user = n };
  ams_engine_set_tracer (e, &t);
  ams_engine_run (e);
  ams_narrator_finish (n, ams_engine_results (e)->end);
  ams_narrator_free (n);
  fclose (out);
  return buf;
}

static void
test_narrate_key_lines (void)
{
  g_autofree char *story = narrated_run ();
  static const char *const want[] = {
    "day 1 02:50   golden 1.0.0/1 built and tested in 50m00s; distributes to 2 accounts in 1 "
    "region (2 copies)\n",
    "day 1 02:50   us-east-1/222222222222 pool full (1/1), 1 waiting\n",
    "day 1 02:50   golden 1.0.0/1 copy to 444444444444 in us-east-1 fails (key_policy_denies): "
    "role arn:aws:iam::444444444444:role/EC2ImageBuilderDistributionCrossAccountRole may not "
    "kms:DescribeKey",
    "no statement of key policy of alias/ami-factory allows kms:DescribeKey",
    "day 1 03:10   us-east-1/222222222222 queue drained after 19m57s (up to 1 waited)\n",
    "day 1 03:10   second 1.0.0/1 available: 3 outputs done in 20m00s (1h10m after it "
    "started)\n",
    "day 1 03:30   golden 1.0.0/1 FAILED: 1 of 2 outputs failed (key_policy_denies 1); 1h29m "
    "after it started\n",
    "day 1 06:00   the run ends\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      if (strstr (story, want[i]) == NULL)
        printf ("\n    missing: %s\n    in:\n%s", want[i], story);
      CU_ASSERT_PTR_NOT_NULL (strstr (story, want[i]));
    }
  /* the story is in simulated order, and the copy that worked is not told */
  CU_ASSERT_TRUE (strstr (story, "pool full") < strstr (story, "queue drained"));
  CU_ASSERT_PTR_NULL (strstr (story, "copy to 222222222222"));
}

static void
test_narrate_when (void)
{
  char buf[48];
  AmsTime start = (AmsTime) 1767571200 * AMS_TICKS_PER_SECOND; /* 2026-01-05T00:00:00Z */
  ams_narrate_when (buf, sizeof buf, start, 0);
  CU_ASSERT_STRING_EQUAL (buf, "day 1 00:00");
  ams_narrate_when (buf, sizeof buf, start, AMS_DAYS (1) + AMS_HOURS (2) + AMS_SECONDS (59));
  CU_ASSERT_STRING_EQUAL (buf, "day 2 02:00");
  /* a start late in the day: days follow the calendar */
  ams_narrate_when (buf, sizeof buf, start + AMS_HOURS (22) + AMS_MINUTES (30), AMS_HOURS (2));
  CU_ASSERT_STRING_EQUAL (buf, "day 2 00:30");
}

/* Routine lines beyond their hourly budget are counted, not told, and the
 * count is told when the hour is over; a pool that fills is always told. */
static void
test_narrate_hour_cap (void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  AmsNarrator *n = ams_narrator_new (out, 0, 24);
  for (guint i = 0; i < 10; i++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "p%u", i);
      AmsTraceEvent ev = { .t = AMS_MINUTES (i), .kind = AMS_TRACE_IMAGE_STARTED,
                           .image = name, .version = "1.0.0/1" };
      ams_narrator_event (n, &ev);
      ev = (AmsTraceEvent) { .t = AMS_MINUTES (i), .kind = AMS_TRACE_DISTRIBUTION_STARTED,
                             .image = name, .version = "1.0.0/1", .copies = 1, .accounts = 1,
                             .regions = 1 };
      ams_narrator_event (n, &ev);
    }
  AmsTraceEvent pool = { .t = AMS_MINUTES (30), .kind = AMS_TRACE_POOL_STATE, .account = "1",
                         .region = "r", .has_pool = TRUE, .busy = 1, .queued = 1, .limit = 1 };
  ams_narrator_event (n, &pool);
  ams_narrator_finish (n, AMS_HOURS (2));
  ams_narrator_free (n);
  fclose (out);
  g_autofree char *story = buf;
  const char *want =
                          "day 1 00:00   p0 1.0.0/1 built and tested in 0.0s; distributes to 1 "
                          "account in 1 region (1 copy)\n"
                          "day 1 00:01   p1 1.0.0/1 built and tested in 0.0s; distributes to 1 "
                          "account in 1 region (1 copy)\n"
                          "day 1 00:02   p2 1.0.0/1 built and tested in 0.0s; distributes to 1 "
                          "account in 1 region (1 copy)\n"
                          "day 1 00:30   r/1 pool full (1/1), 1 waiting\n"
                          "              (… in that hour: 7 more images started distributing)\n"
                          "day 1 02:00   the run ends with 10 images in flight, 1 pool with "
                          "copies waiting for a slot\n";
  if (strcmp (story, want) != 0)
    printf ("\n    got:\n%s", story);
  CU_ASSERT_STRING_EQUAL (story, want);
}

/* ---- the command line ----------------------------------------------------- */


static void
test_trace_cli_bad_input (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "t.jsonl", NULL);
  const struct
  {
    const char *args[8];
    const char *first;
  } cases[] = {
    { { "run", "scenarios/quickstart.yaml", "--trace", path, "--trace-kind", "copy_begun" },
      "amisim: --trace-kind copy_begun: no such event kind; the kinds are: image_started, "
      "build_started, build_done, build_failed, test_failed, distribution_started, "
      "image_available, image_failed, copy_requested, copy_queued, copy_started, copy_retry, "
      "copy_done, copy_failed, share_failed, pool_state, schedule_skipped, pipeline_disabled, "
      "event_applied, lifecycle_run_started, lifecycle_run_skipped, lifecycle_action, "
      "lifecycle_run_done, launch, launch_failed, warmup_done, invitation, event_refused" },
    { { "run", "scenarios/quickstart.yaml", "--trace-kind", "copy_done" },
      "amisim: --trace-account, --trace-region, --trace-image and --trace-kind choose what "
      "--trace FILE writes; give --trace FILE" },
    { { "run", "scenarios/quickstart.yaml", "--narrate", "--json" },
      "amisim: --narrate and --json both print on stdout; use one of them (--out DIR writes "
      "summary.json)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) r = { 0 };
      amisim_argv (&r, NULL, cases[i].args);
      CU_ASSERT_EQUAL (r.status, 2);
      g_autofree char *first = g_strndup (r.err, strcspn (r.err, "\n"));
      if (strcmp (first, cases[i].first) != 0)
        printf ("\n    got:  %s\n    want: %s\n", first, cases[i].first);
      CU_ASSERT_STRING_EQUAL (first, cases[i].first);
      CU_ASSERT_STRING_EQUAL (r.out, "");
      CU_ASSERT_FALSE (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  g_rmdir (tmp);
}

/* Through the binary: the trace file is written, narration comes before
 * the table, stderr (not a terminal here) stays empty: no progress bar. */
static void
test_trace_cli_run (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "t.jsonl", NULL);
  const char *const args[] = { "run", "scenarios/quickstart.yaml", "--trace", path,
                               "--trace-kind", "image_available", "--trace-kind", "warmup_done",
                               "--set", "simulation.warmup=1d", "--narrate", NULL };
  g_auto (Run) r = { 0 };
  amisim_argv (&r, NULL, args);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, "");
  CU_ASSERT_TRUE (g_str_has_prefix (r.out, "The story of quickstart (seed 1)"));
  const char *story_end = strstr (r.out, "the run ends\n\n");
  const char *table = strstr (r.out, "amisim 0.1.0");
  CU_ASSERT_TRUE (story_end != NULL && table != NULL && story_end < table);
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (path, &text, NULL, NULL));
  /* the header, one image a night for 7 days, the warm-up */
  CU_ASSERT_EQUAL (count_lines (text), 9);
  CU_ASSERT_TRUE (g_str_has_prefix (text, "{\"t_s\": 0.000000, \"t_at\": "
                                          "\"2026-01-05T00:00:00.000Z\", \"kind\": \"header\", "
                                          "\"amisim_version\": \"" PACKAGE_VERSION "\", "
                                          "\"scenario\": \"quickstart\", \"scenario_file\": "
                                          "\"scenarios/quickstart.yaml\", \"seed\": 1, "));
  CU_ASSERT_PTR_NOT_NULL (strstr (text, "{\"t_s\": 86400.000000, \"t_at\": "
                                        "\"2026-01-06T00:00:00.000Z\", \"kind\": \"warmup_done\"}\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "day 2 00:00   the warm-up is over: the statistics start "
                                         "from here\n"));
  g_unlink (path);

  /* --quiet: no story either */
  const char *const quiet[] = { "run", "scenarios/quickstart.yaml", "--narrate", "--quiet", NULL };
  g_auto (Run) q = { 0 };
  amisim_argv (&q, NULL, quiet);
  CU_ASSERT_EQUAL (q.status, 0);
  CU_ASSERT_STRING_EQUAL (q.out, "");
  CU_ASSERT_STRING_EQUAL (q.err, "");
  g_rmdir (tmp);
}

/* With stderr not a terminal (as under meson test), a plain run asks for
 * nothing to watch it: no observers, so no progress bar. */
static void
test_progress_not_on_a_pipe (void)
{
  if (isatty (STDERR_FILENO))
    {
      printf ("(stderr is a terminal here: skipped) ");
      return;
    }
  g_autoptr (AmsScenario) sc = load_scenario ();
  AmsRunOptions opt = { .replications = 1, .threads = 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsObservers) obs = ams_cli_observers_new (&opt, sc, &error);
  CU_ASSERT_PTR_NULL (obs);
  CU_ASSERT_PTR_NULL (error);
}

static const AmsTestCase cases[] = {
  { "test_trace_kind_names", test_trace_kind_names },
  { "test_trace_lines_parse", test_trace_lines_parse },
  { "test_trace_filters", test_trace_filters },
  { "test_trace_deterministic", test_trace_deterministic },
  { "test_trace_whole_or_nothing", test_trace_whole_or_nothing },
  { "test_trace_filter_check", test_trace_filter_check },
  { "test_narrate_key_lines", test_narrate_key_lines },
  { "test_narrate_when", test_narrate_when },
  { "test_narrate_hour_cap", test_narrate_hour_cap },
  { "test_trace_cli_bad_input", test_trace_cli_bad_input },
  { "test_trace_cli_run", test_trace_cli_run },
  { "test_progress_not_on_a_pipe", test_progress_not_on_a_pipe },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("trace", cases);
}
