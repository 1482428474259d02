/* amisim import (include/amisim/import.h, docs/import.md): the fixture
 * estate of make-estate.py, exported by tools/export-aws-estate against the
 * fake `aws` (served in one Python process, as test-export.py does), is
 * imported; the scenario loads as written and holds the estate (54 active
 * accounts: sandbox-05 is suspended and left out; 7 OUs; 10 pipelines; the
 * keys with their policies; the SCPs), and the preflight names the two
 * flaws make-estate.py plants: dev-15 has no distribution role
 * (role_missing), prod-20's trusts the wrong account (role_trust_denies).
 * Then bad inputs: not an export, a truncated file, another operation's
 * output under a name, an ARN that names nothing: exit 2, a message naming
 * the file and the JSON path, nothing written.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "amisim/access.h"
#include "amisim/cause.h"
#include "amisim/import.h"
#include "amisim/preflight.h"
#include "amisim/scenario.h"
#include "amisim/world.h"
#include "ams_proc.h"

/* The export, made once: make-estate.py, the fake aws as a server with a
 * bash client first on PATH, the exporter. argv: tests/import, OUT, WORK. */
static const char export_script[]
    = "import importlib.machinery, importlib.util, os, subprocess, sys\n"
      "here, out, work = sys.argv[1], sys.argv[2], sys.argv[3]\n"
      "root = os.path.dirname(os.path.dirname(here))\n"
      "estate = os.path.join(work, 'estate')\n"
      "subprocess.run([sys.executable, os.path.join(here, 'make-estate.py'), estate], check=True)\n"
      "loader = importlib.machinery.SourceFileLoader('fake_aws', os.path.join(here, 'fake-aws'))\n"
      "spec = importlib.util.spec_from_loader('fake_aws', loader)\n"
      "fake = importlib.util.module_from_spec(spec)\n"
      "loader.exec_module(fake)\n"
      "server = fake.serve()\n"
      "bindir = os.path.join(work, 'bin')\n"
      "os.makedirs(bindir, exist_ok=True)\n"
      "with open(os.path.join(bindir, 'aws'), 'w') as f:\n"
      "    f.write(fake.client_script(server.server_address[1]))\n"
      "os.chmod(os.path.join(bindir, 'aws'), 0o755)\n"
      "env = {k: v for k, v in os.environ.items() if not k.startswith(('AWS_', 'FAKE_AWS_'))}\n"
      "env['PATH'] = bindir + os.pathsep + env.get('PATH', '/usr/bin:/bin')\n"
      "env['FAKE_AWS_ESTATE'] = estate\n"
      "env['FAKE_AWS_SHAPES'] = os.path.join(here, 'aws-shapes.json')\n"
      "r = subprocess.run([sys.executable, os.path.join(root, 'tools', 'export-aws-estate'), out,\n"
      "                    '--regions', 'us-east-1,eu-west-1,ap-southeast-2',\n"
      "                    '--profile', 'estate-admin', '--jobs', '2'], env=env,\n"
      "                   stderr=subprocess.DEVNULL)\n"
      "server.shutdown()\n"
      "sys.exit(r.returncode)\n";

static char *work;       /* temporary folder */
static char *export_dir; /* work/export */

static int
suite_init (void)
{
  work = g_dir_make_tmp ("amisim-import-test-XXXXXX", NULL);
  if (work == NULL)
    return 1;
  export_dir = g_build_filename (work, "export", NULL);
  g_autofree char *here = ams_test_path ("import");
  g_autofree char *w = g_build_filename (work, "work", NULL);
  g_mkdir (w, 0700);
  const char *argv[] = { "python3", "-c", export_script, here, export_dir, w, NULL };
  int status = 0;
  GError *e = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &e))
    {
      fprintf (stderr, "cannot run python3: %s\n", e->message);
      g_error_free (e);
      return 1;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      fprintf (stderr, "the export failed\n");
      return 1;
    }
  return 0;
}

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *d = g_dir_open (path, 0, NULL);
      const char *n;
      while (d && (n = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *sub = g_build_filename (path, n, NULL);
          rm_rf (sub);
        }
      if (d)
        g_dir_close (d);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static int
suite_clean (void)
{
  if (work)
    rm_rf (work);
  g_free (work);
  g_free (export_dir);
  return 0;
}

/* ------------------------------------------------------------ the estate */

static AmsScenario *
import_ok (AmsImportNotes *notes, GString **yaml_out)
{
  GString *yaml = g_string_new (NULL);
  GError *e = NULL;
  gboolean ok = ams_import_dir (export_dir, yaml, notes, &e);
  if (!ok)
    fprintf (stderr, "import: %s\n", e->message);
  CU_ASSERT_FATAL (ok);
  AmsScenario *sc = ams_scenario_load_data ("imported.yaml", yaml->str, (gssize) yaml->len, NULL,
                                            0, &e);
  if (sc == NULL)
    fprintf (stderr, "load: %s\n", e->message);
  CU_ASSERT_FATAL (sc != NULL);
  if (yaml_out)
    *yaml_out = yaml;
  else
    g_string_free (yaml, TRUE);
  return sc;
}

static const AmsScAccount *
account (const AmsScenario *sc, const char *id)
{
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      if (strcmp (a->id, id) == 0)
        return a;
    }
  return NULL;
}

static const AmsScRole *
role (const AmsScAccount *a, const char *name)
{
  for (guint i = 0; a && i < a->roles->len; i++)
    {
      const AmsScRole *r = a->roles->pdata[i];
      if (strcmp (r->name, name) == 0)
        return r;
    }
  return NULL;
}

static guint
count_units (const GPtrArray *units, guint *accounts)
{
  guint n = units->len;
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      *accounts += u->accounts->len;
      n += count_units (u->units, accounts);
    }
  return n;
}

static gboolean
has_note (const AmsImportNotes *notes, const char *a, const char *b)
{
  for (guint i = 0; i < notes->lines->len; i++)
    {
      const char *l = notes->lines->pdata[i];
      if (strstr (l, a) && (b == NULL || strstr (l, b)))
        return TRUE;
    }
  return FALSE;
}

static void
test_estate (void)
{
  AmsImportNotes notes;
  ams_import_notes_init (&notes);
  GString *yaml = NULL;
  g_autoptr (AmsScenario) sc = import_ok (&notes, &yaml);

  /* 55 accounts, the suspended sandbox-05 left out (and said so) */
  CU_ASSERT_EQUAL (sc->accounts->len, 54);
  CU_ASSERT_PTR_NULL (account (sc, "800000000005"));
  CU_ASSERT_TRUE (has_note (&notes, "800000000005", "SUSPENDED"));
  CU_ASSERT_STRING_EQUAL (account (sc, "600000000020")->name, "prod-20");
  CU_ASSERT_EQUAL (sc->regions->len, 3);

  /* the organization: 7 OUs, every active account placed once */
  CU_ASSERT_EQUAL_FATAL (sc->organizations->len, 1);
  const AmsScOrg *org = sc->organizations->pdata[0];
  CU_ASSERT_STRING_EQUAL (org->id, "o-7k2m9p4q1x");
  CU_ASSERT_STRING_EQUAL (org->root, "r-7k2m");
  CU_ASSERT_STRING_EQUAL (org->management_account.value, "111111111111");
  guint placed = org->accounts->len;
  CU_ASSERT_EQUAL (count_units (org->units, &placed), 7);
  CU_ASSERT_EQUAL (placed, 54);
  /* SCPs: the three of the estate's own, each with FullAWSAccess at its level */
  CU_ASSERT_EQUAL (org->scps->len, 6);
  guint deny_leave = 0, sandbox = 0;
  for (guint i = 0; i < org->scps->len; i++)
    {
      const AmsScScp *s = org->scps->pdata[i];
      deny_leave += s->name && strcmp (s->name, "deny-leave-organization") == 0
                    && strcmp (s->target.value, "r-7k2m") == 0;
      sandbox += s->name && strcmp (s->name, "sandbox-no-image-copies") == 0
                 && strcmp (s->target.value, "ou-7k2m-sandb001") == 0;
    }
  CU_ASSERT_EQUAL (deny_leave, 1);
  CU_ASSERT_EQUAL (sandbox, 1);

  /* 10 pipelines, their schedules; the disabled one without */
  CU_ASSERT_EQUAL (sc->pipelines->len, 10);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->pipelines->len; i++)
    g_hash_table_add (names, (gpointer) ((const AmsScPipeline *) sc->pipelines->pdata[i])->name);
  CU_ASSERT_TRUE (g_hash_table_contains (names, "golden-al2023"));
  CU_ASSERT_TRUE (g_hash_table_contains (names, "platform-tools"));
  CU_ASSERT_TRUE (g_hash_table_contains (names, "hardened-base"));
  CU_ASSERT_TRUE (has_note (&notes, "golden-al2023-apac", "DISABLED"));
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "scheduleExpression\": \"cron(0 2 * * ? *)\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "\"timezone\": \"Europe/Dublin\""));
  CU_ASSERT_EQUAL (sc->lifecycle_policies->len, 2);
  CU_ASSERT_EQUAL (sc->resource_shares->len, 2);
  CU_ASSERT_EQUAL (sc->infrastructure_configurations->len, 5);

  /* keys with their policies: the factory's in every region, the
   * multi-Region key's primary (eu-west-1) and its replica (us-east-1),
   * which share the id; AWS managed keys implicit */
  const AmsScAccount *f = account (sc, "222222222222");
  CU_ASSERT_PTR_NOT_NULL_FATAL (f);
  guint factory = 0, with_policy = 0, disabled = 0, pending = 0, mrk = 0;
  for (guint i = 0; i < f->kms_keys->len; i++)
    {
      const AmsScKey *k = f->kms_keys->pdata[i];
      factory += k->alias && strcmp (k->alias, "alias/ami-factory") == 0;
      with_policy += k->policy != NULL;
      disabled += k->state == AMS_KEY_DISABLED;
      pending += k->state == AMS_KEY_PENDING_DELETION;
      mrk += g_str_has_prefix (k->id, "mrk-");
    }
  CU_ASSERT_EQUAL (f->kms_keys->len, 7);
  CU_ASSERT_EQUAL (factory, 3);
  CU_ASSERT_EQUAL (with_policy, 7);
  CU_ASSERT_EQUAL (disabled, 1);
  CU_ASSERT_EQUAL (pending, 1);
  CU_ASSERT_EQUAL (mrk, 2);
  CU_ASSERT_FALSE (has_note (&notes, "multi-Region key", NULL));
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "\"Sid\": \"AllowWorkloadsDistribution\""));
  CU_ASSERT_EQUAL (account (sc, "600000000001")->kms_keys->len, 1);

  /* roles: trust, managed policies by name, inline documents */
  const AmsScRole *ip = role (f, "EC2InstanceProfileForImageBuilder");
  CU_ASSERT_PTR_NOT_NULL_FATAL (ip);
  CU_ASSERT_EQUAL (ip->managed_policies->len, 2);
  CU_ASSERT_EQUAL (ip->inline_policies->len, 2);
  CU_ASSERT_PTR_NOT_NULL (role (account (sc, "600000000001"),
                                "EC2ImageBuilderDistributionCrossAccountRole"));
  CU_ASSERT_PTR_NULL (role (account (sc, "710000000015"),
                            "EC2ImageBuilderDistributionCrossAccountRole"));
  CU_ASSERT_TRUE (has_note (&notes, "OrganizationAccountAccessRole", "not read in full"));

  /* the AMIs: every one of the fixture's 1,000 (none is pending or failed,
   * none in the suspended account), starting the day after the newest;
   * what the export lacks of them (launch permissions) is said */
  CU_ASSERT_EQUAL (sc->amis->len, 1000);
  CU_ASSERT_TRUE (has_note (&notes, "1000 AMIs imported", "launch permissions"));
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "\nstart: 2026-03-01T00:00:00Z\n"));
  /* RAM sharing with the organization is inferred from a share's principal */
  CU_ASSERT_TRUE (((const AmsScOrg *) sc->organizations->pdata[0])->ram_sharing);
  /* the defaults to calibrate are marked */
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "CALIBRATE"));
  CU_ASSERT_PTR_NOT_NULL (strstr (yaml->str, "build_time: lognormal(mean=45m, sd=10m)"));
  g_string_free (yaml, TRUE);
  ams_import_notes_clear (&notes);
}

typedef struct
{
  gboolean dev15_missing, prod20_trust;
} Flaws;

static void
on_finding (const AmsFinding *f, gpointer user)
{
  Flaws *fl = user;
  const char *acct = f->b->account ? f->b->account->id : "";
  if (f->b->cause == AMS_CAUSE_ROLE_MISSING && strcmp (acct, "710000000015") == 0)
    fl->dev15_missing = TRUE;
  if (f->b->cause == AMS_CAUSE_ROLE_TRUST_DENIES && strcmp (acct, "600000000020") == 0)
    fl->prod20_trust = TRUE;
}

static void
test_flaws_named (void)
{
  AmsImportNotes notes;
  ams_import_notes_init (&notes);
  g_autoptr (AmsScenario) sc = import_ok (&notes, NULL);
  ams_import_notes_clear (&notes);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  Flaws fl = { FALSE, FALSE };
  guint checks = ams_preflight (w, on_finding, &fl);
  CU_ASSERT_TRUE (checks > 0);
  CU_ASSERT_TRUE (fl.dev15_missing);
  CU_ASSERT_TRUE (fl.prod20_trust);
}

/* ------------------------------------------------------------ bad input */

/* Runs `amisim import DIR -o work/out.yaml`; the exit status, stderr in
 * *err_text; the output must not exist after a failure. */
static int
run_main (const char *dir, char **err_text)
{
  g_autofree char *out = g_build_filename (work, "out.yaml", NULL);
  g_unlink (out);
  g_auto (Run) r = { 0 };
  amisim (&r, "import", dir, "-o", out, NULL);
  *err_text = g_steal_pointer (&r.err);
  gboolean written = g_file_test (out, G_FILE_TEST_EXISTS);
  CU_ASSERT_EQUAL (written, r.status == 0);
  return r.status;
}

/* Replaces a file of the export for one import, then restores it. */
static int
run_with (const char *rel, const char *content, gssize len, char **err_text)
{
  g_autofree char *path = g_build_filename (export_dir, rel, NULL);
  g_autofree char *saved = NULL;
  gsize saved_len = 0;
  CU_ASSERT_FATAL (g_file_get_contents (path, &saved, &saved_len, NULL));
  CU_ASSERT_FATAL (g_file_set_contents (path, content, len, NULL));
  int rc = run_main (export_dir, err_text);
  CU_ASSERT_FATAL (g_file_set_contents (path, saved, (gssize) saved_len, NULL));
  return rc;
}

#define PIPELINE "accounts/222222222222/us-east-1/imagebuilder/get-image-pipeline/golden-al2023.json"

/* ------------------------------------------------- the estate, run and explained */

/* What the export says exists, counted here from its files on their own:
 * the AMIs of describe-images that are available or disabled with an EBS
 * snapshot, in the accounts the scenario has, and their snapshots' sizes
 * (a snapshot once). */
static void
count_export (const AmsScenario *sc, guint *amis, double *gib)
{
  g_autoptr (GHashTable) snaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  *amis = 0;
  *gib = 0;
  for (guint i = 0; i < sc->accounts->len; i++)
    for (guint r = 0; r < sc->regions->len; r++)
      {
        const AmsScAccount *a = sc->accounts->pdata[i];
        const AmsScRegion *region = sc->regions->pdata[r];
        g_autofree char *path = g_strdup_printf ("%s/accounts/%s/%s/ec2/describe-images.json",
                                                 export_dir, a->id, region->name);
        if (!g_file_test (path, G_FILE_TEST_EXISTS))
          continue;
        g_autoptr (GError) e = NULL;
        g_autoptr (AmsValueDoc) doc = ams_value_load_file (path, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
        const AmsValue *images = ams_value_get (ams_value_doc_root (doc), "Images");
        for (guint j = 0; images != NULL && j < images->n; j++)
          {
            const AmsValue *state = ams_value_get (images->items[j], "State");
            if (strcmp (state->text, "available") != 0 && strcmp (state->text, "disabled") != 0)
              continue;
            const AmsValue *bdm = ams_value_get (images->items[j], "BlockDeviceMappings");
            gboolean ebs = FALSE;
            for (guint k = 0; bdm != NULL && k < bdm->n; k++)
              {
                const AmsValue *v = ams_value_get (bdm->items[k], "Ebs");
                const AmsValue *sid = v ? ams_value_get (v, "SnapshotId") : NULL;
                if (sid == NULL)
                  continue;
                ebs = TRUE;
                if (g_hash_table_add (snaps, g_strdup (sid->text)))
                  *gib += g_ascii_strtod (ams_value_get (v, "VolumeSize")->text, NULL);
              }
            *amis += ebs;
          }
      }
}

static int
cmp_strv (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static double
number (const AmsValue *obj, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  const AmsValue *v = obj;
  for (char **p = parts; v != NULL && *p != NULL; p++)
    v = ams_value_get (v, *p);
  CU_ASSERT_PTR_NOT_NULL_FATAL (v);
  return g_ascii_strtod (v->text, NULL);
}

/* The imported scenario run: the AMIs and storage at the start are the
 * export's; explain names the estate's flaws as make-estate.py made them,
 * and nothing the import would have caused (an allowed-regions SCP decided
 * without aws:RequestedRegion, RAM sharing assumed off, images that exist
 * unknown to the supply chain, a multi-Region key's replica left out). */
static void
test_estate_run_and_explained (void)
{
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL_FATAL (run_main (export_dir, &err), 0);
  g_autofree char *scen = g_build_filename (work, "out.yaml", NULL);
  g_autoptr (GError) e = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (scen, NULL, 0, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  guint amis = 0;
  double gib = 0;
  count_export (sc, &amis, &gib);
  CU_ASSERT_EQUAL (amis, 1000);

  /* a run of one second: nothing built, copied or deleted yet */
  g_auto (Run) r = { 0 };
  amisim (&r, "run", scen, "--horizon", "1s", "--json", NULL);
  CU_ASSERT_EQUAL_FATAL (r.status, 0);
  g_autoptr (AmsValueDoc) summary = ams_value_load_data ("summary.json", r.out, -1, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (summary);
  const AmsValue *root = ams_value_doc_root (summary);
  CU_ASSERT_EQUAL (number (root, "storage.amis"), amis);
  CU_ASSERT_DOUBLE_EQUAL (number (root, "storage.snapshot_gib"), gib, 1e-6);

  /* explain: exactly the estate's flaws */
  run_clear (&r);
  amisim (&r, "explain", scen, "--json", NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  g_autoptr (AmsValueDoc) report = ams_value_load_data ("explain.json", r.out, -1, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (report);
  const AmsValue *blockers = ams_value_get (ams_value_doc_root (report), "blockers");
  CU_ASSERT_PTR_NOT_NULL_FATAL (blockers);
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < blockers->n; i++)
    {
      const AmsValue *b = blockers->items[i];
      g_ptr_array_add (got, g_strdup_printf ("%s %s %s", ams_value_get (b, "cause")->text,
                                             ams_value_get (b, "account")->text,
                                             ams_value_get (b, "region")->text));
    }
  g_ptr_array_sort (got, (GCompareFunc) cmp_strv);
  g_autoptr (GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
  /* make-estate.py: dev-15 has no distribution role; prod-20's trusts
   * another account; prod-01's distribution role lacks the launch template
   * permissions its template update needs (the managed policy has none);
   * the arm pipeline copies to the ten nonprod and five dev accounts, which
   * have no cross-account lifecycle role for the factory's policy */
  g_ptr_array_add (want, g_strdup ("role_missing 710000000015 eu-west-1"));
  g_ptr_array_add (want, g_strdup ("role_trust_denies 600000000020 us-east-1"));
  g_ptr_array_add (want, g_strdup ("launch_template_denied 600000000001 us-east-1"));
  for (guint i = 1; i <= 10; i++)
    g_ptr_array_add (want, g_strdup_printf ("lifecycle_role_missing 7000000000%02u us-east-1", i));
  for (guint i = 1; i <= 5; i++)
    g_ptr_array_add (want, g_strdup_printf ("lifecycle_role_missing 7100000000%02u us-east-1", i));
  g_ptr_array_sort (want, (GCompareFunc) cmp_strv);
  CU_ASSERT_EQUAL (got->len, want->len);
  for (guint i = 0; i < MIN (got->len, want->len); i++)
    {
      if (strcmp (got->pdata[i], want->pdata[i]) != 0)
        printf ("\n  blocker %u: got %s, want %s", i, (char *) got->pdata[i],
                (char *) want->pdata[i]);
      CU_ASSERT_STRING_EQUAL (got->pdata[i], want->pdata[i]);
    }
}

static void
test_whole_writes (void)
{
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_main (export_dir, &err), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "amisim import: note: "));
  CU_ASSERT_PTR_NULL (strstr (err, "error"));
}

/* The command line: -o checked before the export is read; stdout gives
 * the same scenario as -o; a scenario that cannot be written is exit 1. */
static void
test_command_output (void)
{
  g_auto (Run) r = { 0 };
  amisim (&r, "import", export_dir, "-o", work, NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.err, "is a folder"));
  CU_ASSERT_PTR_NULL (strstr (r.err, "note:")); /* refused before reading */
  run_clear (&r);
  g_autofree char *nowhere = g_build_filename (work, "no-such-folder", "s.yaml", NULL);
  amisim (&r, "import", export_dir, "-o", nowhere, NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.err, "does not exist"));
  CU_ASSERT_FALSE (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  run_clear (&r);
  amisim (&r, "import", "--quiet", export_dir, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.err, "");
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL_FATAL (run_main (export_dir, &err), 0);
  g_autofree char *out = g_build_filename (work, "out.yaml", NULL);
  g_autofree char *written = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (out, &written, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (r.out, written);
  run_clear (&r);
  amisim (&r, "import", export_dir, "extra", NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.err, "Usage: amisim import"));
  /* stdout on a full device */
  g_autofree char *cmd = g_strdup_printf ("sh -c '\"$AMISIM_BINARY\" import -q \"%s\" > /dev/full'",
                                          export_dir);
  g_autofree char *sh_err = NULL;
  int wait_status = 0;
  CU_ASSERT_FATAL (g_spawn_command_line_sync (cmd, NULL, &sh_err, &wait_status, NULL));
  CU_ASSERT_TRUE (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (sh_err, "cannot write standard output"));
}

static void
test_not_an_export (void)
{
  g_autofree char *empty = g_build_filename (work, "empty", NULL);
  g_mkdir (empty, 0700);
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_main (empty, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "not an estate export"));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, empty));
  g_free (err);
  err = NULL;
  g_autofree char *missing = g_build_filename (work, "no-such-folder", NULL);
  CU_ASSERT_EQUAL (run_main (missing, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, missing));
  g_rmdir (empty);
}

static void
test_truncated (void)
{
  g_autofree char *path = g_build_filename (export_dir, PIPELINE, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  CU_ASSERT_FATAL (g_file_get_contents (path, &text, &len, NULL));
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_with (PIPELINE, text, (gssize) len / 2, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, path));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "truncated or not JSON"));
  g_free (err);
  err = NULL;
  CU_ASSERT_EQUAL (run_with (PIPELINE, "<html>503 Service Unavailable</html>\n", -1, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, path));
}

static void
test_wrong_operation (void)
{
  g_autofree char *role = g_build_filename (
      export_dir, "accounts/222222222222/iam/get-role/EC2InstanceProfileForImageBuilder.json",
      NULL);
  g_autofree char *text = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (role, &text, NULL, NULL));
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_with (PIPELINE, text, -1, &err), 2);
  g_autofree char *path = g_build_filename (export_dir, PIPELINE, NULL);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, path));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "imagePipeline: missing"));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "imagebuilder get-image-pipeline"));
}

static void
test_dangling_arn (void)
{
  g_autofree char *path = g_build_filename (export_dir, PIPELINE, NULL);
  g_autofree char *text = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (path, &text, NULL, NULL));
  const char *from = "distribution-configuration/golden-al2023\"";
  char *at = strstr (text, from);
  CU_ASSERT_PTR_NOT_NULL_FATAL (at);
  GString *bad = g_string_new_len (text, at - text);
  g_string_append (bad, "distribution-configuration/nowhere\"");
  g_string_append (bad, at + strlen (from));
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (run_with (PIPELINE, bad->str, (gssize) bad->len, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, path));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "imagePipeline.distributionConfigurationArn"));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "names nothing in the export"));
  g_string_free (bad, TRUE);

  /* a recipe's component */
  const char *recipe
      = "accounts/222222222222/us-east-1/imagebuilder/get-image-recipe/golden-al2023/1.2.0.json";
  g_autofree char *rpath = g_build_filename (export_dir, recipe, NULL);
  g_autofree char *rtext = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (rpath, &rtext, NULL, NULL));
  char *c = strstr (rtext, "component/factory-agent/");
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  memcpy (c, "component/factory-agenX/", strlen ("component/factory-agenX/"));
  g_free (err);
  err = NULL;
  CU_ASSERT_EQUAL (run_with (recipe, rtext, -1, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, rpath));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "imageRecipe.components[2].componentArn"));
}

static void
test_unknown_file_noted (void)
{
  g_autofree char *stray = g_build_filename (export_dir, "accounts/222222222222/notes.txt", NULL);
  CU_ASSERT_FATAL (g_file_set_contents (stray, "hello\n", -1, NULL));
  g_autofree char *err = NULL;
  int rc = run_main (export_dir, &err);
  g_unlink (stray);
  CU_ASSERT_EQUAL (rc, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, stray));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "ignored: not a file of the export layout"));
}

int
main (void)
{
  if (CU_initialize_registry () != CUE_SUCCESS)
    return 1;
  CU_pSuite s = CU_add_suite ("import", suite_init, suite_clean);
  CU_add_test (s, "the fixture estate", test_estate);
  CU_add_test (s, "its two flaws are named by the preflight", test_flaws_named);
  CU_add_test (s, "a whole import writes its file", test_whole_writes);
  CU_add_test (s, "the imported estate: its AMIs and storage at the start, exactly its flaws",
               test_estate_run_and_explained);
  CU_add_test (s, "the command's output: checked first, stdout, write errors",
               test_command_output);
  CU_add_test (s, "not an export", test_not_an_export);
  CU_add_test (s, "a truncated or non-JSON file", test_truncated);
  CU_add_test (s, "another operation's output under a name", test_wrong_operation);
  CU_add_test (s, "an ARN that names nothing", test_dangling_arn);
  CU_add_test (s, "an unknown file is ignored with a note", test_unknown_file_noted);
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failed = CU_get_number_of_failures () + CU_get_number_of_suites_failed ();
  CU_cleanup_registry ();
  return failed == 0 ? 0 : 1;
}
