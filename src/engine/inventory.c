/* The AMIs that exist: storage, consumers launching from them, and the
 * what-if events on them (DOMAIN.md §6; SCENARIO.md launches).
 *
 * Storage is counted for every run, per pool (destination account and
 * region): AMIs registered, snapshot bytes (each AMI's snapshot at the
 * pipeline's snapshot_size; Recycle Bin included, as it is billed), and the
 * time integral of GiB for GiB-months. Records of single AMIs are kept only
 * when something acts on them: lifecycle policies, launches, or events on
 * AMIs (inventory.h).
 *
 * Consumers (launches[]): each account of an entry launches instances in
 * the entry's region at Poisson times. Before a launch, if its refresh time
 * has come, it looks for the newest AMI of the pipeline it can use there:
 * a copy it owns, or the owner's AMI there with launch permissions that
 * cover it; deprecated AMIs are hidden from that search (describe-images).
 * It then launches from the AMI it holds: the launch fails if that AMI was
 * deregistered (launches_deleted) or disabled or is no longer shared with
 * it (launches_disabled), or if it found none (launches_no_ami); otherwise
 * the AMI's last-launched time is set.
 *
 * EC2 reports last-launched times late; amisim publishes them once a day,
 * at the lifecycle run time, with the launches of the day before: a run
 * sees launches that are at least 24 h (at most 48 h) old.
 */
#include <string.h>

#include "amisim/sharing.h"
#include "amisim/world.h"
#include "engine/inventory.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
/* AWS bills 730 hours to a month */
#define BYTE_TICKS_PER_GIB_MONTH (GIB * 730.0 * 3600.0 * (double) AMS_TICKS_PER_SECOND)
#define NO_LAUNCH G_MININT64

typedef struct
{
  AmsEngine *e;
  const AmsScLaunches *sc;
  Pipeline *p;
  const AmsAccount *account;
  const AmsRegion *region;
  gsl_rng *rng;
  AmsDist gap;             /* exponential inter-launch times */
  Ami *pinned;             /* the AMI it launches from */
  AmsTime next_refresh;
  /* whether the pinned AMI's key lets it launch, as decided last (kept
   * while the world's epoch and the AMI stay the same) */
  const Ami *key_ami;
  uint64_t key_epoch;
  AmsCause key_cause;
  const char *key_message; /* (interned in the engine) */
} Consumer;

typedef struct
{
  Ami *first, *last;
} AmiList;

/* ---- storage ----------------------------------------------------------- */

static void
bin_bytes (AmsEngine *e, EnginePool *ep, int64_t bytes)
{
  ep->bin_bytes = (uint64_t) ((int64_t) ep->bin_bytes + bytes);
  e->bin_bytes = (uint64_t) ((int64_t) e->bin_bytes + bytes);
}

/* ---- records ----------------------------------------------------------- */

void
ams_inv_version (const LcImage *img, char *buf, gsize len)
{
  g_snprintf (buf, len, "%s/%" G_GUINT64_FORMAT, img->semver, img->build);
}

void
ams_inv_ami_id (const Ami *a, char *buf, gsize len)
{
  if (a->given != NULL)
    g_strlcpy (buf, a->given->id, len);
  else
    g_snprintf (buf, len, "ami-%017" G_GINT64_MODIFIER "x", (guint64) a->id);
}

void
ams_inv_snapshot_id (const Snapshot *s, char *buf, gsize len)
{
  if (s->given != NULL)
    g_strlcpy (buf, s->given, len);
  else
    g_snprintf (buf, len, "snap-%017" G_GINT64_MODIFIER "x", (guint64) s->id);
}

static AmiList *
list_of (EnginePool *ep, Pipeline *p)
{
  if (ep->lists == NULL)
    ep->lists = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  AmiList *l = g_hash_table_lookup (ep->lists, p);
  if (l == NULL)
    {
      l = g_new0 (AmiList, 1);
      g_hash_table_insert (ep->lists, p, l);
    }
  return l;
}

/* Into the pool's list, in the order the AMIs were made (ids grow). */
static void
list_insert (AmiList *l, Ami *a)
{
  Ami *after = l->last;
  while (after != NULL && after->id > a->id)
    after = after->prev;
  a->prev = after;
  a->next = after != NULL ? after->next : l->first;
  if (a->next != NULL)
    a->next->prev = a;
  else
    l->last = a;
  if (after != NULL)
    after->next = a;
  else
    l->first = a;
}

static void
list_remove (AmiList *l, Ami *a)
{
  if (a->prev != NULL)
    a->prev->next = a->next;
  else
    l->first = a->next;
  if (a->next != NULL)
    a->next->prev = a->prev;
  else
    l->last = a->prev;
  a->next = a->prev = NULL;
}

static void
image_unlink (LcImage *img)
{
  Pipeline *p = img->p;
  if (img->prev != NULL)
    img->prev->next = img->next;
  else
    p->first = img->next;
  if (img->next != NULL)
    img->next->prev = img->prev;
  else
    p->last = img->prev;
}

void
ams_inv_release_image (AmsEngine *e, LcImage *img)
{
  if (img->state != LC_DELETED || img->busy > 0 || img->amis->len > 0)
    return;
  image_unlink (img);
  g_ptr_array_unref (img->amis);
  g_free (img);
}

static void
snapshot_let_go (Snapshot *s)
{
  if (--s->holders == 0)
    g_free (s); /* its bytes stay counted unless it was deleted */
}

/* Frees the record of an AMI that is gone for good and that nothing holds. */
void
ams_inv_release_ami (AmsEngine *e, Ami *a)
{
  if (a->registered || a->binned || a->pins > 0 || a->busy > 0)
    return;
  LcImage *img = a->img;
  Ami *last = g_ptr_array_index (img->amis, img->amis->len - 1);
  last->index = a->index;
  g_ptr_array_remove_index_fast (img->amis, a->index);
  snapshot_let_go (a->snap);
  ams_launch_perms_free (a->perms);
  g_free (a);
  ams_inv_release_image (e, img);
}

/* The record of an AMI just registered (its storage is counted already). */
void
ams_inv_ami_record (AmsEngine *e, Image *img, EnginePool *pool, Target *t)
{
  Pipeline *p = img->p;
  Ami *a = g_new0 (Ami, 1);
  a->img = img->lc;
  a->pool = pool;
  a->t = t;
  a->entry = t != NULL ? t->entry : p->home_entry;
  a->id = ++e->ami_ids;
  a->deprecated_at = AMS_TIME_NEVER;
  a->protect_until = NO_LAUNCH;
  for (guint i = 0; i < G_N_ELEMENTS (a->launched); i++)
    a->launched[i] = NO_LAUNCH;
  a->registered = TRUE;
  a->snap = g_new0 (Snapshot, 1);
  a->snap->id = ++e->ami_ids;
  a->snap->bytes = p->sc->snapshot_size;
  a->snap->pool = pool;
  a->snap->users = 1;
  a->snap->holders = 1;
  if (pool->account == p->home->account && a->entry != NULL)
    {
      const AmsScDistRegion *d = a->entry;
      gboolean perms = d->lp_user_ids->len + d->lp_org_arns->len + d->lp_ou_arns->len > 0
                       || d->lp_public;
      gboolean failed = FALSE;
      for (guint i = 0; i < p->n_entries; i++)
        if (p->entries[i].spec.region == pool->region)
          failed = p->entries[i].shares_failed;
      a->shared = perms && !failed;
    }
  a->index = img->lc->amis->len;
  g_ptr_array_add (img->lc->amis, a);
  list_insert (list_of (pool, p), a);
}

void
ams_inv_image_started (AmsEngine *e, Image *img)
{
  if (e->inv == NULL)
    return;
  Pipeline *p = img->p;
  LcImage *lc = g_new0 (LcImage, 1);
  lc->p = p;
  lc->semver = p->sc->recipe_version;
  lc->build = img->build;
  lc->created = img->t_start;
  lc->state = LC_BUILDING;
  lc->container = p->sc->target_repository != NULL;
  lc->amis = g_ptr_array_new ();
  lc->prev = p->last;
  if (p->last != NULL)
    p->last->next = lc;
  else
    p->first = lc;
  p->last = lc;
  img->lc = lc;
}

void
ams_inv_image_retried (AmsEngine *e, Image *img)
{
  if (e->inv == NULL)
    return;
  for (LcImage *lc = img->p->last; lc != NULL; lc = lc->prev)
    if (lc->build == img->build && lc->state != LC_DELETED)
      {
        lc->state = LC_BUILDING; /* in progress again */
        img->lc = lc;
        return;
      }
}

void
ams_inv_image_ended (AmsEngine *e, Image *img, gboolean failed)
{
  if (img->lc == NULL)
    return;
  img->lc->state = failed ? LC_FAILED : LC_AVAILABLE;
  img->lc->pushed = img->lc->container && !failed;
  img->lc = NULL;
}

/* ---- effects ----------------------------------------------------------- */

void
ams_inv_deprecate (AmsEngine *e, Ami *a)
{
  AmsTime now = ams_kernel_now (e->k);
  if (a->deprecated_at > now) /* never, or a deprecation time still to come */
    a->deprecated_at = now;
}

void
ams_inv_disable (AmsEngine *e, Ami *a)
{
  a->disabled = TRUE;
  a->shared = FALSE; /* every launch permission goes; re-enabling does not bring them back */
}

/* The snapshot records of an AMI of the start after its first (an AMI the
 * run makes has one snapshot), or NULL. */
static Snapshot *
extra_snapshot (AmsEngine *e, const Ami *a, guint i)
{
  if (a->given == NULL || i + 1 >= a->given->snapshots->len)
    return NULL;
  const char *id = g_array_index (a->given->snapshots, AmsScSnapshot, i + 1).id;
  return g_hash_table_lookup (e->inv->given_snaps, id);
}

/* A snapshot leaves the Recycle Bin for good. */
static void
unbin_snapshot (AmsEngine *e, Snapshot *s)
{
  s->binned = FALSE;
  bin_bytes (e, s->pool, -(int64_t) s->bytes);
  ams_inv_storage_changed (e, s->pool, -(int64_t) s->bytes, 0);
}

static void
bin_expired (AmsKernel *k, void *data, uint64_t arg)
{
  Ami *a = data;
  AmsEngine *e = a->pool->e;
  a->binned = FALSE;
  a->pool->binned--;
  if (a->snapshot_with_bin)
    {
      unbin_snapshot (e, a->snap);
      Snapshot *x;
      for (guint i = 0; (x = extra_snapshot (e, a, i)) != NULL; i++)
        if (x->binned)
          unbin_snapshot (e, x);
    }
  ams_inv_release_ami (e, a);
}

void
ams_inv_deregister (AmsEngine *e, Ami *a)
{
  a->registered = FALSE;
  a->snap->users--;
  Snapshot *x;
  for (guint i = 0; (x = extra_snapshot (e, a, i)) != NULL; i++)
    x->users--;
  list_remove (list_of (a->pool, a->img->p), a);
  ams_inv_storage_changed (e, a->pool, 0, -1);
  const AmsScAccount *acc = a->pool->account->proto;
  AmsTime retention = acc != NULL ? acc->recycle_bin_retention : 0;
  if (retention > 0)
    {
      a->binned = TRUE;
      a->pool->binned++;
      a->bin_until = ams_kernel_now (e->k) + retention;
      a->bin_expiry = ams_kernel_schedule (e->k, a->bin_until, AMS_PRIORITY_DEFAULT,
                                           bin_expired, a, 0);
    }
}

static void
delete_one (AmsEngine *e, Ami *a, Snapshot *s)
{
  s->deleted = TRUE;
  if (a->binned)
    {
      s->binned = TRUE;
      a->snapshot_with_bin = TRUE;
      bin_bytes (e, s->pool, (int64_t) s->bytes);
      ams_inv_storage_changed (e, s->pool, 0, 0);
    }
  else
    ams_inv_storage_changed (e, s->pool, -(int64_t) s->bytes, 0);
}

/* The AMI's snapshot; for an AMI of the start with several, the others
 * too, each only if no registered AMI still uses it (lifecycle's record
 * names the first). */
void
ams_inv_delete_snapshot (AmsEngine *e, Ami *a)
{
  delete_one (e, a, a->snap);
  Snapshot *x;
  for (guint i = 0; (x = extra_snapshot (e, a, i)) != NULL; i++)
    if (!x->deleted && x->users == 0)
      delete_one (e, a, x);
}

void
ams_inv_delete_image (AmsEngine *e, LcImage *img)
{
  img->state = LC_DELETED;
  img->deleted_at = ams_kernel_now (e->k);
  if (e->supply != NULL)
    ams_supply_image_state (e->supply, img->p->index, img->build, AMS_SUPPLY_DELETED);
}

/* RestoreImageFromRecycleBin for every AMI of the image still there. */
static void
restore_image (AmsEngine *e, LcImage *img)
{
  for (guint i = 0; i < img->amis->len; i++)
    {
      Ami *a = g_ptr_array_index (img->amis, i);
      if (!a->binned)
        continue;
      ams_kernel_cancel (e->k, a->bin_expiry);
      a->binned = FALSE;
      a->pool->binned--;
      a->registered = TRUE;
      a->snap->users++;
      if (a->snapshot_with_bin)
        {
          a->snapshot_with_bin = FALSE;
          a->snap->binned = FALSE;
          a->snap->deleted = FALSE;
          bin_bytes (e, a->pool, -(int64_t) a->snap->bytes);
        }
      list_insert (list_of (a->pool, img->p), a);
      ams_inv_storage_changed (e, a->pool, 0, 1);
      e->res.lc_restored++;
    }
}

/* ---- what EC2 reports about an AMI -------------------------------------- */

static int64_t
day_of (const AmsEngine *e, AmsTime t)
{
  AmsTime abs = e->sc->start + t - e->sc->sim.lifecycle_run_at;
  AmsTime day = AMS_DAYS (1);
  return abs >= 0 ? abs / day : -((-abs + day - 1) / day);
}

static void
note_launch (const AmsEngine *e, Ami *a, AmsTime t)
{
  if (a->launched[0] != NO_LAUNCH && day_of (e, a->launched[0]) == day_of (e, t))
    {
      a->launched[0] = t;
      return;
    }
  a->launched[2] = a->launched[1];
  a->launched[1] = a->launched[0];
  a->launched[0] = t;
}

AmsTime
ams_inv_last_launched_seen (const AmsEngine *e, const Ami *a)
{
  int64_t seen = day_of (e, ams_kernel_now (e->k)) - 2;
  for (guint i = 0; i < G_N_ELEMENTS (a->launched); i++)
    if (a->launched[i] != NO_LAUNCH && day_of (e, a->launched[i]) <= seen)
      return a->launched[i];
  return NO_LAUNCH;
}

gboolean
ams_inv_ami_public (const Ami *a)
{
  if (a->perms != NULL)
    return a->shared && ams_launch_perms_is_public (a->perms);
  return a->shared && a->entry != NULL && a->entry->lp_public;
}

gboolean
ams_inv_ami_shared_with (const Ami *a, const char *account)
{
  if (strcmp (a->pool->account->id, account) == 0)
    return TRUE;
  if (!a->shared)
    return FALSE;
  if (a->perms != NULL)
    {
      /* the account named, as lifecycle's sharedAccounts rule reads them */
      const AmsPlace bare = { .account = account };
      return ams_launch_perms_can_launch (a->perms, &bare);
    }
  for (guint i = 0; i < a->entry->lp_user_ids->len; i++)
    if (strcmp (g_array_index (a->entry->lp_user_ids, AmsScRef, i).value, account) == 0)
      return TRUE;
  return FALSE;
}

/* ---- consumers --------------------------------------------------------- */

/* The launch permissions a distribution entry gives an AMI of `owner`. */
static AmsLaunchPerms *
perms_new (const char *owner, const AmsScDistRegion *d)
{
  AmsAmiTraits traits = { 0 };
  AmsLaunchPerms *lp = ams_launch_perms_new (owner, &traits);
  if (d == NULL)
    return lp;
  for (guint i = 0; i < d->lp_user_ids->len; i++)
    ams_launch_perms_add_account (lp, owner, g_array_index (d->lp_user_ids, AmsScRef, i).value);
  for (guint i = 0; i < d->lp_org_arns->len; i++)
    ams_launch_perms_add_org (lp, owner, g_array_index (d->lp_org_arns, AmsScRef, i).value);
  for (guint i = 0; i < d->lp_ou_arns->len; i++)
    ams_launch_perms_add_ou (lp, owner, g_array_index (d->lp_ou_arns, AmsScRef, i).value);
  if (d->lp_public)
    ams_launch_perms_add_all (lp, owner);
  return lp;
}

/* The AMI's launch permissions: its own once an event changed them, else
 * those of its distribution entry (one set per entry, made when needed). */
static AmsLaunchPerms *
perms_of (AmsEngine *e, const Ami *a)
{
  if (a->perms != NULL)
    return a->perms;
  const AmsScDistRegion *d = a->entry;
  AmsLaunchPerms *lp = g_hash_table_lookup (e->inv->perms, d);
  if (lp != NULL)
    return lp;
  lp = perms_new (a->pool->account->id, d);
  g_hash_table_insert (e->inv->perms, (gpointer) d, lp);
  return lp;
}

/* modify_image_attribute (launchPermission Remove) and
 * reset_image_attribute on the owner's AMIs of the pipeline that exist:
 * each gets launch permissions of its own. Removing an account that an
 * organization or OU share still covers "succeeds", and access stays (the
 * sharing module says so); the owner always keeps access. */
static void
modify_launch_permissions (AmsEngine *e, Pipeline *p, const AmsScEvent *ev)
{
  const char *owner = p->home->account->id;
  for (LcImage *img = p->first; img != NULL; img = img->next)
    {
      char version[64];
      ams_inv_version (img, version, sizeof version);
      if (ev->version != NULL && strcmp (version, ev->version) != 0)
        continue;
      for (guint i = 0; i < img->amis->len; i++)
        {
          Ami *a = g_ptr_array_index (img->amis, i);
          if (!a->registered || a->pool->account != p->home->account
              || (ev->region.value != NULL && strcmp (ev->region.value, a->pool->region->name) != 0))
            continue;
          if (a->perms == NULL)
            a->perms = perms_new (owner, a->entry);
          if (ev->kind == AMS_SC_EV_RESET_IMAGE_ATTRIBUTE)
            {
              ams_launch_perms_reset (a->perms, owner);
              continue;
            }
          for (guint j = 0; j < ev->launch_remove->len; j++)
            {
              const AmsScLaunchTarget *t = &g_array_index (ev->launch_remove, AmsScLaunchTarget, j);
              switch (t->kind)
                {
                case AMS_SC_LP_ACCOUNT:
                  {
                    const AmsAccount *acc = ams_world_find_account (e->w, t->value.value);
                    AmsPlace place = { .account = t->value.value };
                    if (acc != NULL)
                      ams_account_place (acc, &place);
                    ams_launch_perms_remove_account_at (a->perms, owner, &place);
                    break;
                  }
                case AMS_SC_LP_ALL:
                  ams_launch_perms_remove_all (a->perms, owner);
                  break;
                case AMS_SC_LP_ORG:
                  ams_launch_perms_remove_org (a->perms, owner, t->value.value);
                  break;
                case AMS_SC_LP_OU:
                  ams_launch_perms_remove_ou (a->perms, owner, t->value.value);
                  break;
                }
            }
        }
    }
}

/* Whether consumer c may launch from a (registered, not disabled): as its
 * account sits now (an account moved out of an OU loses what the OU was
 * given). */
static gboolean
may_launch (Consumer *c, const Ami *a)
{
  if (a->pool->account == c->account)
    return TRUE;
  AmsPlace place;
  ams_account_place (c->account, &place);
  return a->shared && ams_launch_perms_can_launch (perms_of (c->e, a), &place);
}

/* The key an AMI's snapshots are encrypted with: the recipe's key for the
 * image's own AMI, the region's kmsKeyId (else the account's default EBS
 * key) for a copy. FALSE when the AMI is not encrypted. */
static gboolean
ami_key (AmsEngine *e, const Ami *a, AmsKeyInfo *k, AmsKeyLookup *found, const char **ref)
{
  memset (k, 0, sizeof *k);
  const AmsScPipeline *pl = a->img->p->sc;
  const AmsAccount *account = a->pool->account;
  const AmsRegion *region = a->pool->region;
  if (a->given != NULL)
    {
      const AmsScDistRegion *tr = a->given->traits;
      if (tr->kms_key_id.value == NULL && tr->encrypted != TRUE)
        return FALSE;
      *ref = tr->kms_key_id.value;
    }
  else if (a->t == NULL)
    {
      if (!pl->encrypted)
        return FALSE;
      *ref = pl->kms_key.value;
    }
  else
    {
      if (!a->t->crypto) /* ams_access_copy_encrypted, decided at set-up */
        return FALSE;
      *ref = a->t->entry->kms_key_id.value;
    }
  *found = ams_world_find_key (e->w, *ref, account, region, k);
  if (*found != AMS_KEY_FOUND)
    k->account = account; /* where it was looked for, for the message */
  if (*ref == NULL)
    *ref = "alias/aws/ebs";
  return TRUE;
}

/* Whether the key of the AMI c launches from lets it (decided again when
 * the world changed). */
static AmsCause
key_allows (Consumer *c, const Ami *a)
{
  AmsEngine *e = c->e;
  if (c->key_ami == a && c->key_epoch == e->epoch)
    return c->key_cause;
  c->key_ami = a;
  c->key_epoch = e->epoch;
  c->key_cause = AMS_CAUSE_NONE;
  c->key_message = NULL;
  AmsKeyInfo k;
  AmsKeyLookup found;
  const char *ref;
  if (!ami_key (e, a, &k, &found, &ref))
    return AMS_CAUSE_NONE;
  char version[64], ami[160];
  ams_inv_version (a->img, version, sizeof version);
  g_snprintf (ami, sizeof ami, "the AMI of %s %s (account %s)", a->img->p->sc->name, version,
              a->pool->account->id);
  g_auto (AmsBlocker) b = { 0 };
  if (!ams_access_check_launch (e->access, c->account, c->region, ami, &k, found, ref, &b))
    {
      c->key_cause = b.cause;
      c->key_message = g_string_chunk_insert_const (e->messages, b.message);
    }
  return c->key_cause;
}

static EnginePool *
pool_at (AmsEngine *e, const AmsAccount *account, const AmsRegion *region)
{
  gsize key = ams_engine_place_key (e, account, region);
  return g_hash_table_lookup (e->pool_index, GSIZE_TO_POINTER (key));
}

/* The newest AMI of the list the consumer can find and use, or NULL. */
static Ami *
newest_in (Consumer *c, EnginePool *ep, AmsTime now)
{
  if (ep == NULL || ep->lists == NULL)
    return NULL;
  AmiList *l = g_hash_table_lookup (ep->lists, c->p);
  for (Ami *a = l != NULL ? l->last : NULL; a != NULL; a = a->prev)
    if (!a->disabled && a->deprecated_at > now && may_launch (c, a))
      return a;
  return NULL;
}

static void
pin (Consumer *c, Ami *a)
{
  Ami *old = c->pinned;
  if (old == a)
    return;
  c->pinned = a;
  if (a != NULL)
    a->pins++;
  if (old != NULL)
    {
      old->pins--;
      ams_inv_release_ami (c->e, old);
    }
}

/* launch or launch_failed, with why (the same tests as launch below). */
G_GNUC_NO_INLINE static void
trace_launch (Consumer *c, Ami *a)
{
  char version[64] = "";
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_LAUNCH_FAILED,
    .image = c->p->sc->name,
    .account = c->account->id,
    .region = c->region->name,
  };
  if (a != NULL)
    {
      ams_inv_version (a->img, version, sizeof version);
      ev.version = version;
    }
  if (a == NULL)
    {
      ev.status = "no_ami";
      ev.message = "no AMI of the pipeline it may use in its region";
    }
  else if (!a->registered)
    {
      ev.status = "deregistered";
      ev.message = "the AMI it launches from was deregistered";
    }
  else if (a->disabled)
    {
      ev.status = "disabled";
      ev.message = "the AMI it launches from is disabled";
    }
  else if (!may_launch (c, a))
    {
      ev.status = "not_shared";
      ev.message = "the AMI it launches from is no longer shared with it";
    }
  else if (key_allows (c, a) != AMS_CAUSE_NONE)
    {
      ev.status = "key_denied";
      ev.cause = c->key_cause;
      ev.message = c->key_message;
    }
  else
    ev.kind = AMS_TRACE_LAUNCH;
  ams_trace_emit (c->e, &ev);
}

static void
launch (AmsKernel *k, void *data, uint64_t arg)
{
  Consumer *c = data;
  AmsEngine *e = c->e;
  AmsTime now = ams_kernel_now (k);
  AmsTime next = now + ams_engine_draw (&c->gap, c->rng);
  if (next <= e->sc->horizon) /* consumers belong to the horizon, not to a drain */
    ams_kernel_schedule (k, next, AMS_PRIORITY_DEFAULT, launch, c, 0);
  e->res.launches++;
  if (c->pinned == NULL || now >= c->next_refresh)
    {
      const AmsAccount *owner = c->p->home->account;
      Ami *own = newest_in (c, pool_at (e, c->account, c->region), now);
      Ami *shared = c->account == owner ? NULL : newest_in (c, pool_at (e, owner, c->region), now);
      Ami *best = own;
      if (shared != NULL && (best == NULL || shared->img->created > best->img->created))
        best = shared;
      pin (c, best);
      c->next_refresh = best == NULL ? now : now + c->sc->refresh;
    }
  Ami *a = c->pinned;
  if (AMS_TRACING (e))
    trace_launch (c, a);
  if (a == NULL)
    e->res.launches_no_ami++;
  else if (!a->registered)
    e->res.launches_deleted++;
  else if (a->disabled || !may_launch (c, a))
    e->res.launches_disabled++;
  else if (G_UNLIKELY (key_allows (c, a) != AMS_CAUSE_NONE))
    {
      /* a permission failure, counted with the others of its cause */
      e->res.launches_key_denied++;
      ams_engine_count_failure (e, c->key_cause, c->region, c->account);
    }
  else
    {
      e->res.launches_ok++;
      note_launch (e, a, now);
    }
}

static void
consumer_add (AmsEngine *e, const AmsScLaunches *l, Pipeline *p, const AmsAccount *account,
              const AmsRegion *region, GHashTable *seen)
{
  if (!g_hash_table_add (seen, (gpointer) account))
    return; /* listed twice (an account and its OU): one consumer */
  Consumer *c = g_new0 (Consumer, 1);
  c->e = e;
  c->sc = l;
  c->p = p;
  c->account = account;
  c->region = region;
  c->rng = ams_engine_stream (e, "launches/%s/%s", l->name, account->id);
  double mean = 1.0 / l->rate;
  g_assert_true (ams_dist_set (&c->gap, AMS_DIST_EXPONENTIAL, &mean, 1, NULL));
  g_ptr_array_add (e->inv->consumers, c);
}

static void
consumer_free (gpointer data)
{
  Consumer *c = data;
  gsl_rng_free (c->rng);
  ams_dist_clear (&c->gap);
  g_free (c);
}

static void
consumers_setup (AmsEngine *e)
{
  const AmsScenario *sc = e->sc;
  for (guint i = 0; i < sc->launches->len; i++)
    {
      const AmsScLaunches *l = sc->launches->pdata[i];
      Pipeline *p = ams_engine_pipeline (e, l->pipeline.value);
      const AmsRegion *region = ams_world_find_region (e->w, l->region.value);
      g_assert (p != NULL && region != NULL); /* resolved by the loader */
      g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
      for (guint j = 0; j < l->accounts->len; j++)
        consumer_add (e, l, p,
                      ams_world_find_account (e->w, g_array_index (l->accounts, AmsScRef, j).value),
                      region, seen);
      for (guint j = 0; j < l->units->len; j++)
        {
          const char *ref = g_array_index (l->units, AmsScRef, j).value;
          const char *slash = strrchr (ref, '/');
          const AmsOrgNode *ou = ams_world_find_org_node (e->w, slash != NULL ? slash + 1 : ref);
          g_assert (ou != NULL); /* resolved by the loader */
          for (guint a = 0; a < ams_world_n_accounts (e->w); a++)
            {
              const AmsAccount *acc = ams_world_account (e->w, a);
              const char *path = ams_account_org_path (acc);
              if (path != NULL && g_str_has_prefix (path, ou->path))
                consumer_add (e, l, p, acc, region, seen);
            }
        }
    }
}

/* ---- the AMIs that exist at the start (amis[]) --------------------------- */

static int
created_first (gconstpointer a, gconstpointer b)
{
  const AmsScAmi *x = *(const AmsScAmi *const *) a, *y = *(const AmsScAmi *const *) b;
  return x->created < y->created ? -1 : x->created > y->created;
}

static int
image_created_first (gconstpointer a, gconstpointer b)
{
  const LcImage *x = *(LcImage *const *) a, *y = *(LcImage *const *) b;
  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return x->build < y->build ? -1 : x->build > y->build;
}

/* The image record of (pipeline, version) an AMI of the start belongs to,
 * made on first use (kept in `images`, linked to the pipeline later). */
static LcImage *
seed_image (GHashTable *images, GPtrArray *order, Pipeline *p, const AmsScAmi *g)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", p->sc->name, g->version);
  LcImage *img = g_hash_table_lookup (images, key);
  if (img != NULL)
    {
      img->created = MIN (img->created, g->created);
      return img;
    }
  img = g_new0 (LcImage, 1);
  img->p = p;
  img->semver = strcmp (g->semver, p->sc->recipe_version) == 0 ? p->sc->recipe_version
                                                                : g->semver;
  img->build = g->build;
  img->created = g->created;
  img->state = LC_AVAILABLE;
  img->amis = g_ptr_array_new ();
  g_hash_table_insert (images, g_steal_pointer (&key), img);
  g_ptr_array_add (order, img);
  return img;
}

static Ami *
seed_ami (AmsEngine *e, LcImage *img, EnginePool *pool, const AmsScAmi *g, Snapshot *snap)
{
  Ami *a = g_new0 (Ami, 1);
  a->img = img;
  a->pool = pool;
  a->given = g;
  a->entry = g->traits; /* launch permissions, tags and key as an entry would give them */
  a->id = ++e->ami_ids;
  a->deprecated_at = g->deprecated_at;
  a->protect_until = NO_LAUNCH;
  for (guint i = 0; i < G_N_ELEMENTS (a->launched); i++)
    a->launched[i] = NO_LAUNCH;
  a->registered = TRUE;
  a->disabled = g->disabled;
  const AmsScDistRegion *d = g->traits;
  a->shared = !g->disabled
              && (d->lp_user_ids->len + d->lp_org_arns->len + d->lp_ou_arns->len > 0
                  || d->lp_public);
  a->snap = snap;
  snap->holders++;
  a->index = img->amis->len;
  g_ptr_array_add (img->amis, a);
  list_insert (list_of (pool, img->p), a);
  return a;
}

/* Registers the AMIs of amis[] at the start: their storage (a snapshot
 * listed by several AMIs once), the AMI counts the quota sees, and, when
 * the inventory is kept, the records of those made by a pipeline, grouped
 * into images by version, oldest first, before any the run builds. Builds
 * of a recipe version go on from the highest build number found. */
static void
seed_amis (AmsEngine *e)
{
  const AmsScenario *sc = e->sc;
  if (sc->amis->len == 0)
    return;
  g_autoptr (GPtrArray) amis = g_ptr_array_sized_new (sc->amis->len);
  for (guint i = 0; i < sc->amis->len; i++)
    g_ptr_array_add (amis, sc->amis->pdata[i]);
  g_ptr_array_sort (amis, created_first); /* stable: ties keep the document's order */
  g_autoptr (GHashTable) pipelines = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < e->n_pipelines; i++)
    g_hash_table_insert (pipelines, (gpointer) e->pipelines[i].sc->name, &e->pipelines[i]);
  /* snapshot id -> Snapshot* (with the inventory; NULL without) */
  GHashTable *snaps = g_hash_table_new (g_str_hash, g_str_equal);
  if (e->inv != NULL)
    e->inv->given_snaps = snaps;
  g_autoptr (GHashTable) images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  for (guint i = 0; i < amis->len; i++)
    {
      const AmsScAmi *g = amis->pdata[i];
      const AmsAccount *account = ams_world_find_account (e->w, g->account.value);
      const AmsRegion *region = ams_world_find_region (e->w, g->region.value);
      g_assert (account != NULL && region != NULL); /* resolved by the loader */
      EnginePool *ep = pool_at (e, account, region); /* made by ams_engine_new */
      /* its snapshots: stored once each (the loader keeps a snapshot in one
       * account and region, with one size); with the inventory, a record
       * each, in use by every AMI that lists it */
      int64_t bytes = 0;
      for (guint j = 0; j < g->snapshots->len; j++)
        {
          const AmsScSnapshot *s = &g_array_index (g->snapshots, AmsScSnapshot, j);
          Snapshot *rec = NULL;
          if (!g_hash_table_lookup_extended (snaps, s->id, NULL, (gpointer *) &rec))
            {
              bytes += (int64_t) s->bytes;
              if (e->inv != NULL)
                {
                  rec = g_new0 (Snapshot, 1);
                  rec->id = ++e->ami_ids;
                  rec->given = s->id;
                  rec->bytes = s->bytes;
                  rec->pool = ep;
                  rec->holders = 1; /* the table's */
                }
              g_hash_table_insert (snaps, (gpointer) s->id, rec);
            }
          if (rec != NULL)
            rec->users++;
        }
      ams_inv_storage_changed (e, ep, bytes, 1);
      Pipeline *p = g->pipeline.value != NULL ? g_hash_table_lookup (pipelines, g->pipeline.value)
                                              : NULL;
      if (p != NULL && strcmp (g->semver, p->sc->recipe_version) == 0 && *p->builds < g->build)
        *p->builds = g->build;
      if (e->inv == NULL || p == NULL)
        continue; /* storage only; an AMI Image Builder did not make is not its to act on
                     (its snapshots stay in use) */
      const char *first = g_array_index (g->snapshots, AmsScSnapshot, 0).id;
      seed_ami (e, seed_image (images, order, p, g), ep, g, g_hash_table_lookup (snaps, first));
    }
  /* images: oldest first in their pipelines; state from their AMIs */
  g_ptr_array_sort (order, image_created_first);
  for (guint i = 0; i < order->len; i++)
    {
      LcImage *img = order->pdata[i];
      gboolean all_disabled = TRUE, all_deprecated = TRUE;
      for (guint j = 0; j < img->amis->len; j++)
        {
          const Ami *a = img->amis->pdata[j];
          all_disabled &= a->disabled;
          all_deprecated &= a->deprecated_at <= 0;
        }
      img->state = all_disabled ? LC_DISABLED : all_deprecated ? LC_DEPRECATED : LC_AVAILABLE;
      Pipeline *p = img->p;
      img->prev = p->last;
      if (p->last != NULL)
        p->last->next = img;
      else
        p->first = img;
      p->last = img;
    }
  if (e->inv == NULL)
    g_hash_table_unref (snaps);
}

/* ---- set-up, events, results ------------------------------------------- */

void
ams_inv_setup (AmsEngine *e, gboolean lifecycle)
{
  const AmsScenario *sc = e->sc;
  gboolean events = FALSE;
  for (guint i = 0; i < sc->events->len; i++)
    {
      const AmsScEvent *ev = sc->events->pdata[i];
      events |= ev->kind == AMS_SC_EV_SET_DEREGISTRATION_PROTECTION
                || ev->kind == AMS_SC_EV_RESTORE_IMAGE || ev->kind == AMS_SC_EV_REGISTER_IMAGE
                || ev->kind == AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE
                || ev->kind == AMS_SC_EV_RESET_IMAGE_ATTRIBUTE;
    }
  gboolean policies = lifecycle && sc->lifecycle_policies->len > 0;
  if (!policies && sc->launches->len == 0 && !events)
    {
      seed_amis (e); /* storage only: counters per pool */
      return;
    }
  Inventory *inv = g_new0 (Inventory, 1);
  e->inv = inv;
  inv->lifecycle = policies;
  inv->consumers = g_ptr_array_new_with_free_func (consumer_free);
  inv->perms = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ams_launch_perms_free);
  seed_amis (e);
  consumers_setup (e);
}

void
ams_inv_arm (AmsEngine *e)
{
  if (e->inv == NULL)
    return;
  for (guint i = 0; i < e->inv->consumers->len; i++)
    {
      Consumer *c = e->inv->consumers->pdata[i];
      ams_kernel_schedule_in (e->k, ams_engine_draw (&c->gap, c->rng), AMS_PRIORITY_DEFAULT,
                              launch, c, 0);
    }
}

void
ams_inv_free (AmsEngine *e)
{
  Inventory *inv = e->inv;
  if (inv == NULL)
    return;
  g_ptr_array_unref (inv->consumers);
  g_hash_table_unref (inv->perms);
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      LcImage *img = e->pipelines[i].first;
      while (img != NULL)
        {
          LcImage *next = img->next;
          for (guint j = 0; j < img->amis->len; j++)
            {
              Ami *a = g_ptr_array_index (img->amis, j);
              snapshot_let_go (a->snap);
              ams_launch_perms_free (a->perms);
              g_free (a);
            }
          g_ptr_array_unref (img->amis);
          g_free (img);
          img = next;
        }
    }
  if (inv->given_snaps != NULL)
    {
      GHashTableIter it;
      gpointer snap;
      g_hash_table_iter_init (&it, inv->given_snaps);
      while (g_hash_table_iter_next (&it, NULL, &snap))
        snapshot_let_go (snap);
      g_hash_table_unref (inv->given_snaps);
    }
  g_free (inv);
  e->inv = NULL;
}

void
ams_inv_event (AmsEngine *e, const AmsScEvent *ev)
{
  Pipeline *p = ams_engine_pipeline (e, ev->pipeline.value);
  g_assert (p != NULL && e->inv != NULL); /* resolved by the loader; kept for these events */
  AmsTime now = ams_kernel_now (e->k);
  if (ev->kind == AMS_SC_EV_RESTORE_IMAGE)
    {
      LcImage *pick = NULL;
      for (LcImage *img = p->first; img != NULL; img = img->next)
        {
          char version[64];
          ams_inv_version (img, version, sizeof version);
          if (ev->version != NULL ? strcmp (version, ev->version) == 0
                                  : img->state == LC_DELETED
                                      && (pick == NULL || img->deleted_at >= pick->deleted_at))
            pick = img;
        }
      if (pick != NULL)
        restore_image (e, pick);
      return;
    }
  if (ev->kind == AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE || ev->kind == AMS_SC_EV_RESET_IMAGE_ATTRIBUTE)
    {
      modify_launch_permissions (e, p, ev);
      return;
    }
  if (ev->kind == AMS_SC_EV_REGISTER_IMAGE)
    {
      /* another AMI on the snapshot of the newest AMI there: it is not Image
       * Builder's, so lifecycle never deregisters it, and the snapshot stays
       * in use for good */
      const AmsAccount *account = ev->account.value != NULL
                                    ? ams_world_find_account (e->w, ev->account.value)
                                    : p->home->account;
      const AmsRegion *region = ev->region.value != NULL
                                  ? ams_world_find_region (e->w, ev->region.value)
                                  : p->home->region;
      EnginePool *ep = pool_at (e, account, region);
      AmiList *l = ep != NULL && ep->lists != NULL ? g_hash_table_lookup (ep->lists, p) : NULL;
      if (l == NULL || l->last == NULL)
        return; /* no AMI of the pipeline there (yet) */
      l->last->snap->users++;
      ams_inv_storage_changed (e, ep, 0, 1);
      return;
    }
  /* set_deregistration_protection on the pipeline's AMIs that exist */
  for (LcImage *img = p->first; img != NULL; img = img->next)
    for (guint i = 0; i < img->amis->len; i++)
      {
        Ami *a = g_ptr_array_index (img->amis, i);
        if (!a->registered
            || (ev->account.value != NULL && strcmp (ev->account.value, a->pool->account->id) != 0)
            || (ev->region.value != NULL && strcmp (ev->region.value, a->pool->region->name) != 0))
          continue;
        if (ev->enabled)
          {
            a->protect_until = AMS_TIME_NEVER;
            a->protect_cooldown = ev->cooldown;
          }
        else if (a->protect_until == AMS_TIME_NEVER)
          a->protect_until = a->protect_cooldown ? now + AMS_HOURS (24) : NO_LAUNCH;
      }
}

static int
storage_cmp (gconstpointer a, gconstpointer b)
{
  const AmsStorageReport *x = a, *y = b;
  int c = strcmp (x->account, y->account);
  return c != 0 ? c : strcmp (x->region, y->region);
}

void
ams_inv_collect (AmsEngine *e)
{
  AmsResults *r = &e->res;
  AmsTime now = ams_kernel_now (e->k);
  double byte_ticks = 0.0;
  for (guint i = 0; i < e->pools->len; i++)
    {
      EnginePool *ep = g_ptr_array_index (e->pools, i);
      ep->byte_ticks += (double) ep->snapshot_bytes * (double) (now - ep->t_storage);
      ep->t_storage = now;
      byte_ticks += ep->byte_ticks;
      r->amis += ep->amis;
      r->amis_max = MAX (r->amis_max, ep->amis_max);
      if (ep->amis_max == 0 && ep->snapshot_bytes == 0)
        continue;
      AmsStorageReport sr = {
        .account = ep->account->id,
        .region = ep->region->name,
        .amis = (guint) ep->amis,
        .amis_max = ep->amis_max,
        .gib = (double) ep->snapshot_bytes / GIB,
        .gib_months = ep->byte_ticks / BYTE_TICKS_PER_GIB_MONTH,
      };
      g_array_append_val (r->storage, sr);
    }
  g_array_sort (r->storage, storage_cmp);
  r->storage_price = e->sc->sim.storage_price;
  r->storage_gib = (double) e->snapshot_bytes / GIB;
  r->recycle_bin_gib = (double) e->bin_bytes / GIB;
  r->storage_gib_months = byte_ticks / BYTE_TICKS_PER_GIB_MONTH;
  r->storage_gib_max = (double) e->snapshot_bytes_max / GIB;
  r->storage_cost = r->storage_gib_months * r->storage_price;
}

void
ams_inv_reset_stats (AmsEngine *e)
{
  AmsTime now = ams_kernel_now (e->k);
  for (guint i = 0; i < e->pools->len; i++)
    {
      EnginePool *ep = g_ptr_array_index (e->pools, i);
      ep->byte_ticks = 0.0;
      ep->t_storage = now;
      ep->amis_max = (guint) ep->amis;
    }
  e->snapshot_bytes_max = e->snapshot_bytes;
}
