/* amisim's entry point: it only parses arguments and calls a command.
 *
 *   amisim [run] [SCENARIO] [--seed N] [--horizon D] [--set PATH=VALUE]…
 *                            [--out DIR] [--json] [--quiet] [--replications N]
 *                            [--threads N] [--trace FILE [--trace-… …]] [--narrate]
 *   amisim validate SCENARIO… [--set PATH=VALUE]… [--json] [--quiet]
 *   amisim explain [SCENARIO] [--set PATH=VALUE]… [--json | --format text|json|sarif] [--quiet]
 *   amisim policy eval FILE [--json]
 *   amisim plot OUTDIR [--format png|svg|both] [--quiet]
 *   amisim sweep SCENARIO --set PATH=V1,V2,… [--set …]… [--replications N]
 *                [--threads N] [--seed N] [--horizon D] [--out DIR] [--json] [--quiet]
 *   amisim import OUTDIR [-o SCENARIO.yaml] [--quiet]
 *
 * Any misuse prints a usage line and a hint on stderr and exits 2; an
 * option's argument that is not UTF-8 (names, values) or a count beyond its
 * limit (AMS_MAX_REPLICATIONS, AMS_MAX_THREADS) is a misuse, named with its
 * option. Arguments are checked here, before a command makes anything. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "cli/mpi.h"

static const char usage_text[] =
  "Usage: amisim [COMMAND] [OPTION…]\n"
  "\n"
  "Simulates EC2 Image Builder AMI builds and their distribution to accounts and regions.\n"
  "\n"
  "Commands:\n"
  "  run [SCENARIO]       simulate a scenario (the default command; without SCENARIO,\n"
  "                       the default scenario built into amisim)\n"
  "  validate SCENARIO…   check scenarios without running them\n"
  "  explain [SCENARIO]   permission preflight: every copy, share and launch template\n"
  "                       update that would fail, and why (exit 3 when any would)\n"
  "  policy eval FILE     one IAM authorization decision: Allow, ImplicitDeny or ExplicitDeny\n"
  "  plot OUTDIR          render the plots of a finished run --out OUTDIR into OUTDIR/plots\n"
  "  sweep SCENARIO --set PATH=V1,V2,…\n"
  "                       run every combination of the values, with common random\n"
  "                       numbers, and compare them\n"
  "  import OUTDIR        a scenario from an estate export (tools/export-aws-estate)\n"
  "  help [COMMAND]       show this text, or a command's options\n"
  "\n"
  "Options: --help, --version; 'amisim COMMAND --help' lists a command's options.\n"
  "A SCENARIO or FILE of '-' is read from standard input; '--' ends the options.\n"
  "Exit codes: 0 ok, 1 the run failed or an output could not be written, 2 bad input,\n"
  "3 explain found blockers, 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (nothing written).\n";

static int
misuse (const char *command, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static int
misuse (const char *command, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "amisim%s%s: %s\n", command ? " " : "", command ? command : "", msg);
  if (command != NULL)
    {
      const char *usage = strcmp (command, "validate") == 0      ? "validate [OPTION…] SCENARIO…"
                          : strcmp (command, "explain") == 0     ? "explain [OPTION…] [SCENARIO]"
                          : strcmp (command, "policy eval") == 0 ? "policy eval [OPTION…] FILE"
                          : strcmp (command, "plot") == 0        ? "plot [OPTION…] OUTDIR"
                          : strcmp (command, "sweep") == 0       ? "sweep [OPTION…] SCENARIO"
                          : strcmp (command, "import") == 0      ? "import [OPTION…] OUTDIR"
                                                                 : "run [OPTION…] [SCENARIO]";
      fprintf (stderr, "Usage: amisim %s\nTry 'amisim %s --help'.\n", usage, command);
    }
  else
    fputs (usage_text, stderr);
  return AMS_EXIT_BAD_INPUT;
}

/* `s` for a message: as it is when it is UTF-8, each byte that is not as
 * \xNN, control characters escaped. Free with g_free. */
static char *
printable (const char *s)
{
  GString *out = g_string_new (NULL);
  const char *p = s, *end = s + strlen (s);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guint) (guchar) *p);
          p++;
          continue;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\x%02X", (guint) c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* Arguments are taken as bytes (G_OPTION_FLAG_FILENAME and the FILENAME
 * kinds), not converted from the locale's charset, so that an argument
 * that is not UTF-8 is named here with its option, rather than failing
 * in GOption with a message that names neither. */
static gboolean
utf8_arg (const char *option, const char *value, GError **error)
{
  if (g_utf8_validate (value, -1, NULL))
    return TRUE;
  g_autofree char *shown = printable (value);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s '%s': not valid UTF-8",
               option, shown);
  return FALSE;
}

/* Each value of a FILENAME_ARRAY option is UTF-8; else a misuse. */
static gboolean
utf8_list (const char *command, const char *option, char **values)
{
  for (char **v = values; v != NULL && *v != NULL; v++)
    {
      g_autoptr (GError) error = NULL;
      if (!utf8_arg (option, *v, &error))
        {
          misuse (command, "%s", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Options common to run, validate, explain and sweep, collected in the
 * order given. */
typedef struct
{
  GArray *overrides; /* of AmsOverride */
  const char *command;
  guint replications;
  guint threads;
} Collect;

/* --replications N, --threads N: a whole number from 1 to the limit. */
static gboolean
on_count (const char *name, const char *value, gpointer user, GError **error)
{
  Collect *c = user;
  gboolean reps = strcmp (name, "--replications") == 0;
  guint64 limit = reps ? AMS_MAX_REPLICATIONS : AMS_MAX_THREADS;
  const char *what = reps ? "replications" : "threads";
  guint64 v = 0;
  if (!utf8_arg (name, value, error))
    return FALSE;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &v, NULL))
    {
      gboolean digits = *value != '\0' && strspn (value, "0123456789") == strlen (value);
      if (digits) /* beyond 64 bits */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s %s: too many; at most %" G_GUINT64_FORMAT " %s", name, value, limit,
                     what);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s '%s': expected a whole number from 1 to %" G_GUINT64_FORMAT, name,
                     value, limit);
      return FALSE;
    }
  if (v < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s %s: must be at least 1",
                   name, value);
      return FALSE;
    }
  if (v > limit)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s %s: too many; at most %" G_GUINT64_FORMAT " %s", name, value, limit,
                   what);
      return FALSE;
    }
  if (reps)
    c->replications = (guint) v;
  else
    c->threads = (guint) v;
  return TRUE;
}

static gboolean
on_override (const char *name, const char *value, gpointer user, GError **error)
{
  Collect *c = user;
  AmsOverride ov = { 0 };
  if (!utf8_arg (name, value, error))
    return FALSE;
  if (strcmp (name, "--set") == 0)
    {
      const char *eq = strchr (value, '=');
      if (eq == NULL || eq == value)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set expects PATH=VALUE (for example "
                       "--set simulation.limits.copies_per_account_region=100), got '%s'",
                       value);
          return FALSE;
        }
      ov.path = g_strndup (value, (gsize) (eq - value));
      ov.value = g_strdup (eq + 1);
      ov.origin = "--set";
    }
  else
    {
      ov.path = g_strdup (strcmp (name, "--seed") == 0 ? "seed" : "horizon");
      ov.value = g_strdup (value);
      ov.origin = strcmp (name, "--seed") == 0 ? "--seed" : "--horizon";
    }
  g_array_append_val (c->overrides, ov);
  return TRUE;
}

static void
override_clear (gpointer p)
{
  AmsOverride *ov = p;
  g_free ((char *) ov->path);
  g_free ((char *) ov->value);
}

/* Parses the options before a `--`; what follows it is taken as it is
 * (`amisim run -- -odd-name.yaml`). On return, (*argv)[1..*argc-1] are the
 * arguments that are not options, in order. */
static gboolean
parse_options (GOptionContext *ctx, int *argc, char ***argv, const char *command)
{
  g_autoptr (GError) error = NULL;
  int sep = *argc;
  for (int i = 1; i < *argc; i++)
    if (strcmp ((*argv)[i], "--") == 0)
      {
        sep = i;
        break;
      }
  int head_argc = sep;
  g_autofree char **head_array = g_new0 (char *, (gsize) head_argc + 1);
  memcpy (head_array, *argv, (gsize) head_argc * sizeof (char *));
  char **head = head_array;
  gboolean parsed = g_option_context_parse (ctx, &head_argc, &head, &error);
  if (parsed)
    {
      /* the options' leftovers, then everything after `--`, in place */
      int n = 0;
      for (int i = 0; i < head_argc; i++)
        (*argv)[n++] = head[i];
      for (int i = sep + 1; i < *argc; i++)
        (*argv)[n++] = (*argv)[i];
      (*argv)[n] = NULL;
      head_argc = n;
    }
  int n_tail = sep < *argc ? *argc - sep - 1 : 0;
  if (!parsed)
    {
      g_autofree char *shown = g_utf8_validate (error->message, -1, NULL)
                                 ? g_strdup (error->message)
                                 : printable (error->message);
      misuse (command, "%s", shown);
      return FALSE;
    }
  /* an unknown option before `--` */
  for (int i = 1; i < head_argc - n_tail; i++)
    if ((*argv)[i][0] == '-' && (*argv)[i][1] != '\0')
      {
        g_autofree char *shown = printable ((*argv)[i]);
        misuse (command, "unknown option %s", shown);
        return FALSE;
      }
  *argc = head_argc;
  return TRUE;
}

static int
cmd_run (int argc, char **argv)
{
  g_autoptr (GArray) overrides = g_array_new (FALSE, TRUE, sizeof (AmsOverride));
  g_array_set_clear_func (overrides, override_clear);
  Collect collect = { .overrides = overrides, .command = "run", .replications = 1, .threads = 1 };
  g_autofree char *out = NULL, *trace = NULL;
  g_auto (GStrv) trace_accounts = NULL, trace_regions = NULL, trace_images = NULL,
                 trace_kinds = NULL;
  gboolean json = FALSE, quiet = FALSE, narrate = FALSE;

  GOptionEntry entries[] = {
    { "seed", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Master seed of the random streams (overrides the scenario's seed)", "N" },
    { "horizon", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Simulated length, e.g. 14d (overrides the scenario's horizon)", "DUR" },
    { "set", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Set a scenario value by its path; repeatable", "PATH=VALUE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      "Write summary.json and the CSV files into this folder (created if needed), all "
      "together or not at all", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print summary.json on stdout instead of the table",
      NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing on stdout", NULL },
    { "replications", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_count,
      "Independent replications (at most " G_STRINGIFY (AMS_MAX_REPLICATIONS) "); numbers "
      "become means with 95% intervals", "N" },
    { "threads", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_count,
      "Run replications on N threads (at most " G_STRINGIFY (AMS_MAX_THREADS) "; results do "
      "not depend on N)", "N" },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace,
      "Write every simulation event as JSON Lines to FILE (-: stdout, instead of the table)",
      "FILE" },
    { "trace-account", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trace_accounts,
      "Trace only events of this account; repeatable", "ID" },
    { "trace-region", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trace_regions,
      "Trace only events in this region; repeatable", "REGION" },
    { "trace-image", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trace_images,
      "Trace only events of this pipeline's images; repeatable", "PIPELINE" },
    { "trace-kind", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trace_kinds,
      "Trace only events of this kind; repeatable", "KIND" },
    { "narrate", 0, 0, G_OPTION_ARG_NONE, &narrate,
      "Tell the story of the run on stdout, for teaching and demos", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[SCENARIO]");
  g_option_context_set_summary (ctx, "Simulates a scenario; without SCENARIO, the default "
                                     "scenario built into amisim.\n"
                                     "Exit codes: 0 ok, 1 the run failed, 2 bad input.");
  GOptionGroup *group = g_option_group_new ("run", "run options", "run options", &collect, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_set_prgname ("amisim run");
  if (!parse_options (ctx, &argc, &argv, "run"))
    return AMS_EXIT_BAD_INPUT;
  if (argc > 2)
    return misuse ("run", "expected at most one scenario file, got %d", argc - 1);
  if (out != NULL && out[0] == '\0')
    return misuse ("run", "--out needs a folder name");
  if (trace != NULL && trace[0] == '\0')
    return misuse ("run", "--trace needs a file name");
  if (!utf8_list ("run", "--trace-account", trace_accounts)
      || !utf8_list ("run", "--trace-region", trace_regions)
      || !utf8_list ("run", "--trace-image", trace_images)
      || !utf8_list ("run", "--trace-kind", trace_kinds))
    return AMS_EXIT_BAD_INPUT;

  AmsRunOptions opt = {
    .scenario = argc == 2 ? argv[1] : NULL,
    .out = out,
    .overrides = (const AmsOverride *) (void *) overrides->data,
    .n_overrides = overrides->len,
    .json = json,
    .quiet = quiet,
    .replications = collect.replications,
    .threads = collect.threads,
    .trace = trace,
    .trace_accounts = (const char *const *) trace_accounts,
    .trace_regions = (const char *const *) trace_regions,
    .trace_images = (const char *const *) trace_images,
    .trace_kinds = (const char *const *) trace_kinds,
    .narrate = narrate,
  };
  return ams_cli_run (&opt);
}

static int
cmd_validate (int argc, char **argv)
{
  g_autoptr (GArray) overrides = g_array_new (FALSE, TRUE, sizeof (AmsOverride));
  g_array_set_clear_func (overrides, override_clear);
  Collect collect = { .overrides = overrides, .command = "validate" };
  gboolean json = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "set", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Set a scenario value by its path before checking; repeatable", "PATH=VALUE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the verdicts as JSON", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print only errors", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SCENARIO…");
  g_option_context_set_summary (ctx, "Checks scenario files without running them.\n"
                                     "Exit codes: 0 every file is valid, 2 otherwise.");
  GOptionGroup *group = g_option_group_new ("validate", "validate options", "validate options",
                                            &collect, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_set_prgname ("amisim validate");
  if (!parse_options (ctx, &argc, &argv, "validate"))
    return AMS_EXIT_BAD_INPUT;
  if (argc < 2)
    return misuse ("validate", "expected at least one scenario file");

  AmsValidateOptions opt = {
    .files = (const char *const *) (argv + 1),
    .n_files = (guint) (argc - 1),
    .overrides = (const AmsOverride *) (void *) overrides->data,
    .n_overrides = overrides->len,
    .json = json,
    .quiet = quiet,
  };
  return ams_cli_validate (&opt);
}

static int
cmd_explain (int argc, char **argv)
{
  g_autoptr (GArray) overrides = g_array_new (FALSE, TRUE, sizeof (AmsOverride));
  g_array_set_clear_func (overrides, override_clear);
  Collect collect = { .overrides = overrides, .command = "explain" };
  gboolean json = FALSE, quiet = FALSE;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "set", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Set a scenario value by its path before checking; repeatable", "PATH=VALUE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON (--format json)", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      "The report: text (the default), json or sarif (SARIF 2.1.0, for CI systems)",
      "FORMAT" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print only the summary line", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[SCENARIO]");
  g_option_context_set_summary (ctx, "Permission preflight: for every pipeline, distribution "
                                     "region and target account, the checks the service would "
                                     "make, and every one that would fail, with its cause and "
                                     "the policy statements behind it.\n"
                                     "Exit codes: 0 nothing blocks, 3 blockers found, 2 bad input.");
  GOptionGroup *group = g_option_group_new ("explain", "explain options", "explain options",
                                            &collect, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_set_prgname ("amisim explain");
  if (!parse_options (ctx, &argc, &argv, "explain"))
    return AMS_EXIT_BAD_INPUT;
  if (argc > 2)
    return misuse ("explain", "expected at most one scenario file, got %d", argc - 1);
  AmsExplainFormat fmt = json ? AMS_EXPLAIN_JSON : AMS_EXPLAIN_TEXT;
  if (format != NULL)
    {
      AmsExplainFormat f;
      if (strcmp (format, "text") == 0)
        f = AMS_EXPLAIN_TEXT;
      else if (strcmp (format, "json") == 0)
        f = AMS_EXPLAIN_JSON;
      else if (strcmp (format, "sarif") == 0)
        f = AMS_EXPLAIN_SARIF;
      else
        return misuse ("explain", "--format expects text, json or sarif, got '%s'", format);
      if (json && f != AMS_EXPLAIN_JSON)
        return misuse ("explain", "--json and --format %s contradict each other", format);
      fmt = f;
    }
  AmsExplainOptions opt = {
    .scenario = argc == 2 ? argv[1] : NULL,
    .overrides = (const AmsOverride *) (void *) overrides->data,
    .n_overrides = overrides->len,
    .json = fmt == AMS_EXPLAIN_JSON,
    .quiet = quiet,
    .format = fmt,
  };
  return ams_cli_explain (&opt);
}

static int
cmd_policy (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "eval") != 0)
    {
      if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
        {
          fputs ("Usage: amisim policy eval [OPTION…] FILE\n\nOne IAM authorization decision; "
                 "'amisim policy eval --help' for details.\n", stdout);
          return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
        }
      return misuse ("policy eval", argc < 2 ? "expected a subcommand: eval"
                                             : "unknown subcommand; expected: eval");
    }
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print {\"decision\": …, \"statements\": […]} instead of text", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE");
  g_option_context_set_summary (ctx,
    "Decides one request against identity, resource and service control policies.\n"
    "FILE (JSON or YAML): {\"policies\": {\"identity\": [P…], \"resource\": P or null, "
    "\"scp\": [P…]},\n \"request\": {\"action\", \"resource\", \"resource_account\", "
    "\"principal\", \"principal_account\", \"context\": {…}}}\n"
    "Each P is a policy document: an object, or a JSON string holding one (as aws kms\n"
    "get-key-policy gives it).\n"
    "The first line printed is Allow, ImplicitDeny or ExplicitDeny.\n"
    "Exit codes: 0 decided, 2 bad input.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_set_prgname ("amisim policy eval");
  argc--;
  argv++;
  if (!parse_options (ctx, &argc, &argv, "policy eval"))
    return AMS_EXIT_BAD_INPUT;
  if (argc != 2)
    return misuse ("policy eval", "expected one request file, got %d", argc - 1);
  AmsPolicyEvalOptions opt = { .file = argv[1], .json = json };
  return ams_cli_policy_eval (&opt);
}

static int
cmd_plot (int argc, char **argv)
{
  g_autofree char *format = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_FILENAME, &format,
      "Pictures to draw: png, svg or both (the default)", "FORMAT" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "Print nothing on stdout and no notes on skipped plots", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("OUTDIR");
  g_option_context_set_summary (ctx,
    "Renders the plots of a finished 'amisim run --out OUTDIR' (or 'amisim sweep --out\n"
    "OUTDIR') with gnuplot into OUTDIR/plots/, replaced whole: copies-timeline, pool-queues,\n"
    "completion-cdf, failures, storage, lifecycle, launches, sweep, from the data the run\n"
    "prepared (OUTDIR/plotdata.gp; no CSV is read); a plot the run has no data for is\n"
    "skipped with a note on stderr. The scripts are amisim's plots/ folder, or\n"
    "$AMISIM_PLOTS_DIR.\n"
    "Exit codes: 0 ok, 1 gnuplot missing or failed, 2 OUTDIR is not a run's output (or\n"
    "one of an older amisim: run it again).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_set_prgname ("amisim plot");
  if (!parse_options (ctx, &argc, &argv, "plot"))
    return AMS_EXIT_BAD_INPUT;
  if (argc != 2)
    return misuse ("plot", "expected one output folder, got %d", argc - 1);
  AmsPlotFormat formats = AMS_PLOT_BOTH;
  if (format != NULL && strcmp (format, "png") == 0)
    formats = AMS_PLOT_PNG;
  else if (format != NULL && strcmp (format, "svg") == 0)
    formats = AMS_PLOT_SVG;
  else if (format != NULL && strcmp (format, "both") != 0)
    {
      g_autofree char *shown = printable (format);
      return misuse ("plot", "--format expects png, svg or both, got '%s'", shown);
    }
  AmsPlotOptions opt = { .dir = argv[1], .formats = formats, .quiet = quiet };
  return ams_cli_plot (&opt);
}

static int
cmd_sweep (int argc, char **argv)
{
  g_autoptr (GArray) overrides = g_array_new (FALSE, TRUE, sizeof (AmsOverride));
  g_array_set_clear_func (overrides, override_clear);
  Collect collect = { .overrides = overrides, .command = "sweep", .replications = 1,
                      .threads = 1 };
  g_autofree char *out = NULL;
  gboolean json = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "set", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "An axis PATH=V1,V2,… (the values to sweep), or a value for every point PATH=VALUE; "
      "repeatable", "PATH=V1,V2,…" },
    { "replications", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_count,
      "Replications of each point; numbers become means with 95% intervals (points × "
      "replications: at most " G_STRINGIFY (AMS_MAX_RUNS) ")", "N" },
    { "threads", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_count,
      "Run on N threads (at most " G_STRINGIFY (AMS_MAX_THREADS) "; results do not depend "
      "on N)", "N" },
    { "seed", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Master seed of every point (overrides the scenario's seed)", "N" },
    { "horizon", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, (void *) on_override,
      "Simulated length, e.g. 14d (overrides the scenario's horizon)", "DUR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      "Write sweep.csv and summary.json into this folder (created if needed), together or "
      "not at all", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print the sweep's summary.json on stdout instead of the table", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing on stdout", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SCENARIO");
  g_option_context_set_summary (ctx,
    "Runs the scenario at every combination of the values of its axes (the first axis\n"
    "varies slowest). A --set whose value has commas is an axis; a value that itself\n"
    "holds a comma cannot be swept. Every point uses the same seed and replication\n"
    "numbers (common random numbers), so differences between points come from the axes;\n"
    "the table says which differences from the first point are significant (paired t).\n"
    "Exit codes: 0 ok, 1 the outputs could not be written, 2 bad input.");
  GOptionGroup *group = g_option_group_new ("sweep", "sweep options", "sweep options",
                                            &collect, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_set_prgname ("amisim sweep");
  if (!parse_options (ctx, &argc, &argv, "sweep"))
    return AMS_EXIT_BAD_INPUT;
  if (argc < 2)
    return misuse ("sweep", "expected a scenario file");
  if (argc > 2)
    return misuse ("sweep", "expected one scenario file, got %d", argc - 1);
  if (out != NULL && out[0] == '\0')
    return misuse ("sweep", "--out needs a folder name");
  AmsSweepOptions opt = {
    .scenario = argv[1],
    .out = out,
    .overrides = (const AmsOverride *) (void *) overrides->data,
    .n_overrides = overrides->len,
    .replications = collect.replications,
    .threads = collect.threads,
    .json = json,
    .quiet = quiet,
  };
  return ams_cli_sweep (&opt);
}

static int
cmd_import (int argc, char **argv)
{
  g_autofree char *output = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the scenario into FILE (whole or not at all) instead of stdout; - is stdout",
      "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No notes on stderr (errors only)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("OUTDIR");
  g_option_context_set_summary (ctx,
    "Reads an estate export (the folder tools/export-aws-estate writes, or the same layout\n"
    "made by other tooling: docs/estate-export.md) and writes a scenario amisim accepts\n"
    "as it is: the organization, accounts, regions, roles, keys, pipelines, recipes,\n"
    "distribution and lifecycle configurations, RAM shares, SCPs and the AMIs that exist.\n"
    "Durations the estate does not know are amisim's defaults, marked CALIBRATE in the\n"
    "scenario. What it cannot map is a note on stderr, with the file it came from.\n"
    "Exit codes: 0 written, 1 the scenario could not be written, 2 bad input (nothing\n"
    "written).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_set_prgname ("amisim import");
  if (!parse_options (ctx, &argc, &argv, "import"))
    return AMS_EXIT_BAD_INPUT;
  if (argc != 2)
    return misuse ("import", "expected one export folder, got %d", argc - 1);
  if (output != NULL && output[0] == '\0')
    return misuse ("import", "-o needs a file name");
  AmsImportOptions opt = { .dir = argv[1], .output = output, .quiet = quiet };
  return ams_cli_import (&opt);
}

typedef struct
{
  const char *name;
  int (*fn) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "run", cmd_run },
  { "validate", cmd_validate },
  { "explain", cmd_explain },
  { "policy", cmd_policy },
  { "plot", cmd_plot },
  { "sweep", cmd_sweep },
  { "import", cmd_import },
};

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
command_main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_set_prgname ("amisim");
  ams_cli_init ();

  if (argc < 2)
    return cmd_run (argc, argv);

  const char *first = argv[1];
  if (strcmp (first, "--version") == 0 || strcmp (first, "-V") == 0)
    {
      printf ("amisim %s\n", PACKAGE_VERSION);
      return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
    }
  if (strcmp (first, "--help") == 0 || strcmp (first, "-h") == 0)
    {
      fputs (usage_text, stdout);
      return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
    }
  if (strcmp (first, "help") == 0)
    {
      if (argc == 2)
        {
          fputs (usage_text, stdout);
          return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
        }
      const Command *c = find_command (argv[2]);
      if (c == NULL)
        return misuse (NULL, "unknown command '%s'", argv[2]);
      char help[] = "--help";
      char *help_argv[] = { argv[0], help, NULL };
      return c->fn (2, help_argv);
    }
  if (first[0] == '-')
    return cmd_run (argc, argv); /* `amisim --seed 3` runs the default scenario */

  const Command *c = find_command (first);
  if (c == NULL)
    {
      if (g_str_has_suffix (first, ".yaml") || g_str_has_suffix (first, ".yml"))
        return misuse (NULL, "unknown command '%s'; to run a scenario: amisim run %s", first, first);
      return misuse (NULL, "unknown command '%s'", first);
    }
  /* Under MPI, the commands other than run and sweep are rank 0's alone. */
  if (ams_mpi_worker () && c->fn != cmd_run && c->fn != cmd_sweep)
    return AMS_EXIT_OK;
  /* Let the command see its own name as argv[0]. */
  return c->fn (argc - 1, argv + 1);
}

int
main (int argc, char **argv)
{
  /* under mpirun, mpiexec or srun: the ranks share the jobs (cli/mpi.h) */
  ams_mpi_init (&argc, &argv);
  return ams_mpi_finish (command_main (argc, argv));
}
