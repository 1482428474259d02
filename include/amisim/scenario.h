/* amisim — scenarios: the typed form of a scenario file.
 *
 * The loader (src/scenario/) is the only code that knows YAML. It reads a
 * scenario (format version 1, SCENARIO.md §1), applies command-line
 * overrides (--set PATH=VALUE) to the document tree, checks every key
 * against its table, every value against its type and range, every
 * reference against what the scenario defines, and returns the plain
 * structures below. Everything that was written in the file keeps its
 * position (AmsSrcLoc), so later stages can still point at the source.
 *
 * Bad input never yields a half-filled scenario: either a whole AmsScenario
 * or NULL with a GError (domain AMS_SCENARIO_ERROR) whose message is one or
 * more lines "FILE:LINE:COL: error: PATH: MESSAGE", first error first.
 *
 * Keys of the v1 format whose behaviour amisim does not model yet are
 * rejected with "not supported yet", never silently ignored.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/time.h"
#include "amisim/cron.h"
#include "amisim/dist.h"
#include "amisim/srcloc.h"
#include "amisim/value.h"
#include "amisim/policy.h"

G_BEGIN_DECLS

/* A reference to another entity (account id, region name), as written. */
typedef struct
{
  const char *value;
  AmsSrcLoc loc;
} AmsScRef;

typedef struct
{
  const char *name;      /* "us-east-1" */
  AmsSrcLoc loc;
  gboolean pv_supported; /* default TRUE */
  gboolean opt_in;       /* default FALSE: usable only where an account enables it */
} AmsScRegion;

typedef enum
{
  AMS_KEY_ENABLED,
  AMS_KEY_DISABLED,
  AMS_KEY_PENDING_DELETION,
} AmsKeyState;

/* A customer managed KMS key of an account. */
typedef struct
{
  const char *id;        /* key id: a UUID, or mrk-… for multi-Region keys */
  AmsScRef region;
  const char *alias;     /* "alias/…", or NULL */
  AmsKeyState state;
  AmsPolicy *policy;     /* compiled key policy (RESOURCE); NULL = the default key
                            policy, which allows the account's root (IAM delegation) */
  AmsSrcLoc loc;
} AmsScKey;

/* An IAM role of an account. */
typedef struct
{
  const char *name;
  AmsPolicy *trust;          /* compiled trust policy (RESOURCE), required */
  GArray *managed_policies;  /* of AmsScRef: names of AWS managed policies */
  GPtrArray *inline_policies;/* of AmsPolicy* (IDENTITY) */
  AmsSrcLoc loc;
} AmsScRole;

/* accounts[].ecr_repositories[]: an ECR repository that container images
 * go to, with its tags (lifecycle needs LifecycleExecutionAccess). */
typedef struct
{
  const char *name;      /* repositoryName */
  AmsScRef region;       /* NULL value: the same repository name in every region */
  GArray *tags;          /* of AmsScTag */
  AmsSrcLoc loc;
} AmsScRepository;

typedef struct
{
  const char *id;        /* 12 digits, kept as a string */
  const char *name;      /* optional, may be NULL */
  AmsSrcLoc loc;
  GArray *enabled_regions;   /* of AmsScRef: opt-in regions this account enabled */
  GPtrArray *kms_keys;       /* of AmsScKey* */
  GPtrArray *roles;          /* of AmsScRole* */
  gboolean block_public_ami_access; /* default TRUE (AWS turns it on for new accounts) */
  AmsTime recycle_bin_retention; /* recycle_bin.retention: a Recycle Bin retention rule for
                                    AMIs (and the snapshots they free) in every region of the
                                    account, 1d-365d; 0 = no rule (deregistered at once) */
  GPtrArray *ecr_repositories;   /* of AmsScRepository* */
  /* ram_invitations: how the account answers RAM resource share invitations */
  gboolean ram_accept;           /* accept: TRUE (default) accepts each invitation; FALSE never
                                    answers (the invitation expires) */
  gboolean ram_after_set;        /* after: was written */
  AmsDist ram_after;             /* after: how long after an invitation arrives it is accepted;
                                    unset: simulation.ram.acceptance_delay */
} AmsScAccount;

/* An organizational unit and what sits in it. */
typedef struct AmsScUnit AmsScUnit;
struct AmsScUnit
{
  const char *id;        /* ou-… */
  const char *name;      /* may be NULL */
  GArray *accounts;      /* of AmsScRef: accounts directly in this OU */
  GPtrArray *units;      /* of AmsScUnit*: child OUs */
  AmsSrcLoc loc;
};

/* A service control policy attached to the root, an OU or an account. */
typedef struct
{
  AmsScRef target;       /* r-…, ou-… or a 12-digit account id */
  const char *name;      /* may be NULL */
  AmsPolicy *policy;     /* compiled (SCP) */
  AmsSrcLoc loc;
} AmsScScp;

typedef struct
{
  const char *id;        /* o-… */
  AmsScRef management_account; /* placed at the root unless listed elsewhere */
  const char *root;      /* r-… */
  gboolean ram_sharing;  /* RAM sharing with the organization enabled; default FALSE */
  GArray *accounts;      /* of AmsScRef: accounts directly under the root */
  GPtrArray *units;      /* of AmsScUnit*: top-level OUs */
  GPtrArray *scps;       /* of AmsScScp* */
  AmsSrcLoc loc;
} AmsScOrg;

/* Many accounts made from one template, without listing each. */
typedef struct
{
  guint count;           /* >= 1 */
  const char *first_id;  /* 12 digits; ids count up from here */
  AmsScRef parent;       /* r-… or ou-…: where the accounts sit; NULL value: no organization */
  AmsScRef like;         /* template account: roles, keys and settings are copied */
  const char *name_prefix; /* names are prefix + index from 1; may be NULL */
  AmsSrcLoc loc;
} AmsScAccountSet;

/* ssmParameterConfigurations[] of a distribution region. */
typedef struct
{
  AmsScRef account;      /* amiAccountId; NULL value: the owner account */
  const char *name;      /* parameterName */
  gboolean ec2_image;    /* dataType aws:ec2:image (TRUE) or text */
  AmsSrcLoc loc;
} AmsScSsmParameter;

/* launchTemplateConfigurations[] of a distribution region. */
typedef struct
{
  const char *launch_template_id; /* lt-… */
  AmsScRef account;      /* accountId; NULL value: the owner account */
  gboolean set_default_version;
  AmsSrcLoc loc;
} AmsScLaunchTemplate;

typedef struct
{
  const char *key;
  const char *value;     /* "" when written as null */
} AmsScTag;

/* A boolean the scenario did not set. */
#define AMS_SC_UNSET (-1)

/* One entry of a CreateDistributionConfiguration `distributions` list. */
typedef struct
{
  AmsScRef region;
  const char *ami_name;         /* amiDistributionConfiguration.name, may be NULL */
  const char *ami_description;  /* may be NULL */
  GArray *target_account_ids;   /* of AmsScRef; empty if none */
  AmsScRef kms_key_id;          /* amiDistributionConfiguration.kmsKeyId: key ARN, alias
                                   ARN, key id or alias; NULL value: the default EBS key */
  /* amiDistributionConfiguration.encrypted (an amisim extension: CopyImage's
   * Encrypted flag): AMS_SC_UNSET, or TRUE / FALSE as written */
  int encrypted;
  /* amiDistributionConfiguration.launchPermission */
  GArray *lp_user_ids;          /* of AmsScRef (12-digit ids; need not be defined) */
  gboolean lp_public;           /* userGroups: ["all"] */
  GArray *lp_org_arns;          /* of AmsScRef: organization ARNs */
  GArray *lp_ou_arns;           /* of AmsScRef: OU ARNs */
  GPtrArray *launch_templates;  /* of AmsScLaunchTemplate* */
  GPtrArray *ssm_parameters;    /* of AmsScSsmParameter* */
  GArray *ami_tags;             /* amiDistributionConfiguration.amiTags, of AmsScTag; the
                                   tags of the AMIs this entry makes (lifecycle exclusions) */
  AmsSrcLoc loc;
} AmsScDistRegion;

/* ---- the supply chain: Image Builder components, recipes and images as
 * resources, and their RAM shares (DOMAIN.md §5) ---- */

typedef enum
{
  AMS_SC_RES_COMPONENT,
  AMS_SC_RES_IMAGE,
  AMS_SC_RES_IMAGE_RECIPE,
  AMS_SC_RES_CONTAINER_RECIPE,
} AmsScResType;

/* An Image Builder ARN as written, taken apart:
 * arn:aws:imagebuilder:<region>:<account>:<type>/<name>/<version>[/<build>]
 * (type component, image, image-recipe or container-recipe). */
typedef struct
{
  const char *arn;          /* as written; NULL: no reference */
  AmsScResType type;
  const char *region;
  const char *account;      /* 12 digits, or "aws" for what AWS publishes */
  const char *name;         /* as in the ARN (lower case, no spaces) */
  const char *version;      /* "1.2.0", or a pattern with x wildcards ("1.x.x", "x.x.x") */
  guint build;              /* the build number; 0 when the ARN names a version or a pattern */
  AmsSrcLoc loc;
} AmsScResRef;

/* The name an ARN uses for a resource named `name`: lower case, spaces as
 * hyphens (Image Builder's rule). Free with g_free. */
char *ams_sc_arn_name (const char *name);

/* components[]: a CreateComponent request (name, semanticVersion, platform,
 * kmsKeyId, …) plus account and region. Each entry is build 1 of its
 * version; publish_component events add versions and builds. */
typedef struct
{
  const char *name;          /* as written */
  const char *version;       /* semanticVersion, x.y.z */
  const char *platform;      /* Linux, Windows or macOS */
  AmsScRef account;
  AmsScRef region;
  AmsScRef kms_key;          /* kmsKeyId: the component is encrypted with this customer managed
                                key (id, alias or ARN, looked up in account and region); NULL
                                value: with an AWS owned key (nothing for consumers to allow) */
  const char *arn;           /* arn:aws:imagebuilder:<region>:<account>:component/<name>/<version>/1 */
  AmsSrcLoc loc;
} AmsScComponent;

/* An image recipe (recipes[], a CreateImageRecipe request plus account and
 * region), a container recipe (container_recipes[], CreateContainerRecipe),
 * or a pipeline's own recipe block (pipelines[].recipe). */
typedef struct
{
  const char *name;          /* as written */
  const char *version;       /* semanticVersion, x.y.z */
  AmsScRef account;          /* the owner */
  AmsScRef region;
  gboolean container;        /* a container recipe */
  gboolean block;            /* a pipeline's recipe block (owned by the pipeline) */
  const char *arn;           /* …:image-recipe/<name>/<version> or …:container-recipe/… */
  const char *parent_external; /* parentImage that is not an Image Builder image ARN (an AMI
                                id, an SSM parameter, a container image URI), or NULL */
  AmsScResRef parent;        /* parentImage as an Image Builder image ARN (arn NULL if not) */
  GArray *components;        /* components[].componentArn, of AmsScResRef (may be empty) */
  uint64_t snapshot_size;    /* amisim's keys, as in a recipe block */
  gboolean encrypted;
  AmsScRef kms_key;
  gboolean pv;
  const char *target_repository; /* container recipes: targetRepository.repositoryName */
  AmsSrcLoc loc;
} AmsScRecipe;

/* resource_shares[]: a RAM CreateResourceShare request plus account and
 * region (where the share lives; shares are regional). */
typedef struct
{
  const char *name;          /* unique in the scenario (events name shares by it) */
  AmsScRef account;          /* the owner: the account that creates the share */
  AmsScRef region;
  GArray *resources;         /* resourceArns, of AmsScResRef: component build versions, image
                                recipe and container recipe versions the owner owns */
  GArray *principals;        /* principals, of AmsScRef: account ids, organization ARNs, OU ARNs */
  gboolean allow_external;   /* allowExternalPrincipals, default TRUE */
  GArray *tags;              /* tags ([{key, value}]), of AmsScTag */
  GArray *associate_new_images; /* amisim: pipelines (AmsScRef, names) of the owner in the
                                region whose images are added to the share when they become
                                AVAILABLE (what a function on the pipeline's SNS topic does) */
  AmsSrcLoc loc;
} AmsScResourceShare;

/* resource_policies[]: a PutComponentPolicy / PutImagePolicy /
 * PutImageRecipePolicy / PutContainerRecipePolicy request plus account
 * and region (those of the ARN). */
typedef struct
{
  AmsScResRef arn;           /* componentArn, imageArn, imageRecipeArn or containerRecipeArn:
                                a build version (components, images) or a version (recipes);
                                an image's may name a build that does not exist yet (it applies
                                once the image does) */
  AmsPolicy *policy;         /* compiled (RESOURCE) */
  AmsSrcLoc loc;
} AmsScResourcePolicy;

/* infrastructure_configurations[]: a CreateInfrastructureConfiguration
 * request plus account and region. What amisim reads of it is the instance
 * profile its build instances run with. */
typedef struct
{
  const char *name;
  AmsScRef account;
  AmsScRef region;
  const char *instance_profile; /* instanceProfileName: an IAM role of the account of the same
                                   name (the role the instance profile holds) */
  const char *arn;           /* arn:aws:imagebuilder:<region>:<account>:infrastructure-configuration/<name> */
  AmsSrcLoc loc;
} AmsScInfraConfig;

typedef enum
{
  AMS_SC_TRIGGER_MANUAL,   /* no schedule and no arrivals: never starts by itself */
  AMS_SC_TRIGGER_RATE,     /* schedule.scheduleExpression: rate(n unit) */
  AMS_SC_TRIGGER_CRON,     /* schedule.scheduleExpression: cron(min hour day month dow year) */
  AMS_SC_TRIGGER_POISSON,  /* arrivals: poisson(rate=R) */
} AmsScTrigger;

typedef enum
{
  AMS_SC_START_DEPENDENCY_UPDATES, /* EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE (AWS default) */
  AMS_SC_START_EXPRESSION_MATCH,   /* EXPRESSION_MATCH_ONLY */
} AmsScStartCondition;

typedef struct
{
  const char *name;
  AmsSrcLoc loc;
  AmsScRef account;          /* owner account */
  AmsScRef region;           /* build region  */

  AmsScTrigger trigger;
  const char *schedule_expression; /* as written, NULL unless RATE or CRON */
  AmsCron *cron;                   /* CRON: the compiled expression (owned) */
  AmsTime rate_period;             /* RATE: the period (> 0)        */
  AmsScStartCondition start_condition;
  const char *timezone;            /* schedule.timezone, NULL = UTC */
  double arrival_rate;             /* POISSON: builds per second (> 0) */

  /* Its recipe: the pipeline's recipe block, or the recipes[] / container_recipes[]
   * entry named by imageRecipeArn / containerRecipeArn. The flat fields below
   * (recipe_name … target_repository) are copied from it once it is resolved. */
  AmsScRecipe *recipe;             /* owned when recipe->block, borrowed otherwise */
  const AmsScInfraConfig *infrastructure; /* infrastructureConfigurationArn, resolved; NULL:
                                      none written (builds need no instance profile check) */
  AmsScRef infrastructure_ref;     /* infrastructureConfigurationArn as written */
  AmsScResRef recipe_ref;          /* imageRecipeArn / containerRecipeArn as written (arn
                                      NULL with a recipe block) */

  const char *recipe_name;
  const char *recipe_version;      /* "x.y.z" */
  gboolean encrypted;              /* recipe.encrypted, default FALSE */
  AmsScRef kms_key;                /* recipe.kms_key: key id, alias, key ARN or alias
                                      ARN in the owner account and build region; NULL value
                                      with encrypted: the AWS managed key alias/aws/ebs */
  gboolean pv;                     /* recipe.virtualization: pv (TRUE) or hvm (FALSE, default) */
  uint64_t snapshot_size;          /* recipe.snapshot_size in bytes, default 8 GiB */
  const char *target_repository;   /* recipe.target_repository: a container recipe's ECR
                                      repository (containerRecipe.targetRepository
                                      .repositoryName) in the owner account and build region;
                                      its images are container images, not AMIs. NULL for an
                                      image recipe */

  AmsDist build_time;              /* seconds */
  AmsDist test_time;               /* seconds */

  double failure_probability;      /* failure_probability: a build fails (build_failed), default 0 */
  double test_failure_probability; /* test_failure_probability: tests fail (test_failed), default 0 */
  guint auto_disable_failures;     /* schedule.autoDisablePolicy.failureCount (1-10); 0 = none */
  AmsTime distribution_timeout;    /* timeoutMinutes of the distribution; 0 = simulation default */

  GArray *image_tags;              /* image_tags: tags of the Image Builder images the
                                      pipeline makes (lifecycle tagMap selection and
                                      exclusion), of AmsScTag; empty if none */

  const char *distribution_name;   /* distribution.name, may be NULL */
  GPtrArray *distributions;        /* of AmsScDistRegion*; may be empty */
} AmsScPipeline;

/* simulation.limits.overrides[]: another copy limit for some accounts
 * and/or regions (a NULL value matches every one). Later entries win. */
typedef struct
{
  AmsScRef account;
  AmsScRef region;
  guint copies;
  AmsSrcLoc loc;
} AmsScLimitOverride;

typedef enum
{
  AMS_SC_ON_LIMIT_QUEUE,  /* wait FIFO for a slot */
  AMS_SC_ON_LIMIT_RETRY,  /* refused; back off with jitter and ask again */
} AmsScOnLimit;

typedef struct
{
  guint copies_per_account_region; /* default 50 */
  GPtrArray *limit_overrides;      /* of AmsScLimitOverride* */
  guint copies_per_region;         /* EC2's cap per destination account and region; 0 = off */
  guint copies_per_source_region;  /* legacy EC2 cap per destination account and region,
                                      from one source region; 0 = off */
  guint snapshot_copies_per_region;/* EBS's cap per destination account and region; 0 = off */
  guint concurrent_builds;         /* builds at once per account and region; default 100 */
  guint amis_per_account_region;   /* AMI quota per account and region; default 50000 */
  AmsScOnLimit on_limit;           /* default queue */
  AmsTime retry_base;              /* simulation.retry.base, default 30s */
  AmsTime retry_max;               /* simulation.retry.max, default 15m */
  guint retry_attempts;            /* simulation.retry.attempts, default 10 */
  gboolean copy_bandwidth;         /* simulation.copy.model: bandwidth (TRUE) or duration */
  AmsDist copy_duration;           /* simulation.copy.duration, seconds; default lognormal(mean=25m, sd=8m) */
  double per_copy_throughput;      /* bytes/s a snapshot copy runs at most; default 500 MiB/s */
  double region_pair_throughput;   /* bytes/s shared by the copies between two regions;
                                      default 2000 MiB/s */
  double incremental_fraction;     /* share of the snapshot an incremental copy moves; 0.1 */
  AmsDist schedule_delay;          /* simulation.schedule_delay: how late a scheduled run starts;
                                      default uniform(min=0s, max=60s) */
  gboolean drain;                  /* simulation.drain: after the horizon, start nothing
                                      new but finish what is in flight; default false */
  AmsDist encryption_overhead;     /* simulation.encryption_overhead: added to a copy that
                                      decrypts or re-encrypts; default 0s (assumption) */
  double transient_failure_probability; /* a copy fails for no permission reason; default 0 */
  AmsTime distribution_timeout;    /* simulation.distribution_timeout, default 720m */
  gboolean output_copies;          /* simulation.output.copies: rows in copies.csv; default true */
  guint timeseries_max_rows;       /* simulation.output.timeseries_max_rows; default 100000 */

  /* lifecycle */
  guint lifecycle_state_updates;   /* simulation.limits.lifecycle_state_updates: resource state
                                      updates at once per account and region; default 50 */
  AmsTime lifecycle_run_at;        /* simulation.lifecycle_run_at "HH:MM" (UTC): daily policy
                                      runs at this time of day, as an offset from midnight;
                                      default 03:00 */
  AmsDist lifecycle_update_time;   /* simulation.lifecycle.update_time: how long one resource
                                      state update takes; default fixed(2s) */
  gboolean lifecycle_enabled;      /* simulation.lifecycle.enabled: false runs as if there were
                                      no lifecycle policies; default true */
  gboolean lifecycle_compare;      /* simulation.lifecycle.compare: also run the scenario without
                                      lifecycle and report what it saved; default false */
  double storage_price;            /* simulation.storage.price_per_gib_month: snapshot storage
                                      price; default 0.05 (EBS snapshot standard tier, USD) */
  /* RAM (DOMAIN.md §5) */
  AmsDist ram_acceptance_delay;    /* simulation.ram.acceptance_delay: how long after a resource
                                      share invitation an account accepts it (accounts[]
                                      .ram_invitations overrides); default exponential(mean=4h),
                                      an assumption */
  AmsTime ram_invitation_expiry;   /* simulation.ram.invitation_expiry: an invitation not
                                      answered by then expires (is declined); default 7d (RAM) */
  guint components_per_account_region; /* simulation.limits.components_per_account_region:
                                      component build versions an account may own in a region
                                      (shared ones count toward the owner's only); 0 (default):
                                      no quota */
  AmsTime warmup;                  /* simulation.warmup: statistics gathered before this
                                      simulated time are discarded; default 0, < horizon */
  AmsSrcLoc warmup_loc;            /* where it was written (checked against the horizon) */
} AmsScSimulation;

/* events[]: what-if changes at simulated times. */
typedef enum
{
  AMS_SC_EV_SET_LIMIT,            /* copies_per_account_region for matching pools */
  AMS_SC_EV_DISABLE_KEY,
  AMS_SC_EV_ENABLE_KEY,
  AMS_SC_EV_SCHEDULE_KEY_DELETION,
  AMS_SC_EV_CANCEL_KEY_DELETION,
  AMS_SC_EV_ADD_STATEMENT,        /* to a key policy or a role's trust policy */
  AMS_SC_EV_REMOVE_STATEMENT,     /* by Sid */
  AMS_SC_EV_DELETE_ROLE,
  AMS_SC_EV_MOVE_ACCOUNT,         /* into another OU (or the root) */
  AMS_SC_EV_DEPENDENCY_UPDATE,    /* a component or the base image has a new version */
  AMS_SC_EV_RETRY_IMAGE,          /* RetryImage: re-run the failed outputs of the last failed image */
  AMS_SC_EV_SET_DISTRIBUTION,     /* the pipeline's distribution configuration changes */
  AMS_SC_EV_SET_DEREGISTRATION_PROTECTION, /* EnableImageDeregistrationProtection (enabled:
                                  true, with or without the 24 h cooldown) or Disable…
                                  (enabled: false) on the pipeline's existing AMIs */
  AMS_SC_EV_RESTORE_IMAGE,        /* RestoreImageFromRecycleBin: the AMIs of one image of the
                                     pipeline still in the Recycle Bin come back */
  AMS_SC_EV_SET_LIFECYCLE_POLICY, /* a lifecycle policy's status becomes ENABLED or DISABLED */
  AMS_SC_EV_REGISTER_IMAGE,       /* RegisterImage from the snapshot of the pipeline's newest
                                     AMI in `account` (default: the owner) and `region`
                                     (default: the build region): another AMI, not Image
                                     Builder's, that shares the snapshot */
  AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE,    /* AssociateResourceShare: `resources` and/or
                                            `principals` join `share`, done by `account`
                                            (default: the share's owner) */
  AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE, /* DisassociateResourceShare: they leave it (refused
                                            while a consumer depends on what would go) */
  AMS_SC_EV_ACCEPT_INVITATION,    /* AcceptResourceShareInvitation: `account` accepts `share`'s */
  AMS_SC_EV_REJECT_INVITATION,    /* RejectResourceShareInvitation */
  AMS_SC_EV_DELETE_RESOURCE,      /* DeleteComponent / DeleteImage / DeleteImageRecipe /
                                     DeleteContainerRecipe of `arn`, by `account` (default: the
                                     owner); refused while shared, or when not the owner's */
  AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE, /* ModifyImageAttribute launchPermission Remove on the
                                     pipeline's AMIs that exist (in `region`, or every region;
                                     of the image `version`, or every image): who may launch
                                     them from now on */
  AMS_SC_EV_RESET_IMAGE_ATTRIBUTE, /* ResetImageAttribute launchPermission: every launch
                                     permission of those AMIs goes (the owner keeps access) */
  AMS_SC_EV_PUBLISH_COMPONENT,    /* CreateComponent of a new version of `component` (a
                                     components[] name) of `account` in `region`: `version`
                                     (x.y.z; the same version again is its next build), added
                                     to the resource shares named in `shares` */
} AmsScEventKind;

/* Whether an event is one of the supply chain's (RAM shares, invitations,
 * Image Builder resources). */
static inline gboolean
ams_sc_event_is_supply (AmsScEventKind k)
{
  switch (k)
    {
    case AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE:
    case AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE:
    case AMS_SC_EV_ACCEPT_INVITATION:
    case AMS_SC_EV_REJECT_INVITATION:
    case AMS_SC_EV_DELETE_RESOURCE:
    case AMS_SC_EV_PUBLISH_COMPONENT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* One entry of a launchPermission list (EC2 LaunchPermission): an account
 * (UserId), everyone (Group: all), an organization or an OU (their ARNs). */
typedef enum
{
  AMS_SC_LP_ACCOUNT,
  AMS_SC_LP_ALL,
  AMS_SC_LP_ORG,
  AMS_SC_LP_OU,
} AmsScLaunchTargetKind;

typedef struct
{
  AmsScLaunchTargetKind kind;
  AmsScRef value;            /* the account id or ARN ("all" for AMS_SC_LP_ALL) */
} AmsScLaunchTarget;

typedef struct
{
  AmsScEventKind kind;
  AmsTime at;                /* simulated time (from the start) */
  AmsSrcLoc loc;
  AmsScRef key;              /* key events and key-policy statements: a key ARN */
  AmsScRef account;          /* set_limit (optional), roles, move_account,
                                set_deregistration_protection (optional), set_lifecycle_policy
                                (the policy's owner; filled in by the loader when not written) */
  AmsScRef region;           /* set_limit, set_deregistration_protection (optional) */
  const char *role;          /* trust-policy statements, delete_role */
  guint copies;              /* set_limit */
  const char *sid;           /* remove_statement */
  AmsPolicy *statement;      /* add_statement: the statement, compiled as a one-statement
                                policy of the right kind (owned) */
  AmsScRef to;               /* move_account: r-… or ou-… */
  AmsScRef pipeline;         /* dependency_update, retry_image, set_distribution,
                                set_deregistration_protection, restore_image */
  GPtrArray *distributions;  /* set_distribution: the new entries (AmsScDistRegion*), owned */
  AmsTime distribution_timeout; /* set_distribution: its timeoutMinutes, 0 if none */
  gboolean enabled;          /* set_deregistration_protection, set_lifecycle_policy */
  gboolean cooldown;         /* set_deregistration_protection (enabled: true): WithCooldown,
                                default false: once protection is turned off later,
                                deregistration stays blocked for 24 h more */
  const char *version;       /* restore_image: "1.0.0/3" (recipe version / build); NULL:
                                the image deleted last. modify_image_attribute,
                                reset_image_attribute: "1.0.0/3", NULL: every image.
                                publish_component: "1.1.0" */
  const char *policy;        /* set_lifecycle_policy: the policy's name (in `account`, or in
                                the only account that has one so named) */
  /* the supply chain's events */
  AmsScRef share;            /* (dis)associate_resource_share, accept_/reject_invitation: a
                                resource_shares[] name */
  const AmsScResourceShare *share_def; /* the share it names (resolved by the loader) */
  GArray *resources;         /* (dis)associate_resource_share: resourceArns, of AmsScResRef */
  GArray *principals;        /* (dis)associate_resource_share: principals, of AmsScRef */
  AmsScResRef arn;           /* delete_resource: the resource (a component or image build
                                version, a recipe version) */
  AmsScRef component;        /* publish_component: the component's name */
  const AmsScComponent *component_def; /* the components[] entry it publishes a version of
                                (resolved; it gives the owner and region) */
  GArray *shares;            /* publish_component: resource_shares[] names, of AmsScRef */
  GArray *launch_remove;     /* modify_image_attribute: launchPermission.Remove, of
                                AmsScLaunchTarget */
} AmsScEvent;

/* ---- lifecycle_policies[]: a CreateLifecyclePolicy request, plus account
 * and region (amisim's: where the policy lives) ---- */

typedef enum
{
  AMS_LC_DEPRECATE,
  AMS_LC_DISABLE,
  AMS_LC_DELETE,
} AmsLcAction;

typedef enum
{
  AMS_LC_AGE,
  AMS_LC_COUNT,
} AmsLcFilter;

typedef enum
{
  AMS_LC_DAYS,
  AMS_LC_WEEKS,
  AMS_LC_MONTHS,
  AMS_LC_YEARS,
} AmsLcUnit;

/* One of policyDetails. */
typedef struct
{
  AmsLcAction action;
  gboolean include_amis, include_snapshots, include_containers; /* includeResources */
  AmsLcFilter filter;
  guint value;                  /* filter.value: 1-1000 images (COUNT) or units (AGE) */
  AmsLcUnit unit;               /* filter.unit (AGE) */
  guint retain_at_least;        /* filter.retainAtLeast; 0 if not given */
  GArray *exclude_tags;         /* exclusionRules.tagMap, of AmsScTag (image tags) */
  gboolean exclude_public;      /* exclusionRules.amis.isPublic */
  GArray *exclude_regions;      /* exclusionRules.amis.regions, of AmsScRef */
  GArray *exclude_shared_accounts; /* exclusionRules.amis.sharedAccounts, of AmsScRef */
  guint last_launched_value;    /* exclusionRules.amis.lastLaunched; 0 if not given */
  AmsLcUnit last_launched_unit;
  GArray *exclude_ami_tags;     /* exclusionRules.amis.tagMap, of AmsScTag */
  AmsSrcLoc loc;
} AmsScLcRule;

typedef struct
{
  const char *name;             /* recipe name */
  const char *semantic_version; /* 1.x.x: x wildcards, every part after the first x too */
} AmsScLcRecipe;

typedef struct
{
  AmsScRef account;             /* the owner, required */
  AmsScRef region;              /* default: the first of `regions` */
  const char *name;
  const char *description;      /* may be NULL */
  gboolean enabled;             /* status: ENABLED (default) or DISABLED */
  const char *execution_role;   /* executionRole: role name or ARN */
  gboolean containers;          /* resourceType: CONTAINER_IMAGE (TRUE) or AMI_IMAGE */
  GPtrArray *rules;             /* policyDetails, of AmsScLcRule*, 1-3 */
  GArray *recipes;              /* resourceSelection.recipes, of AmsScLcRecipe */
  GArray *selection_tags;       /* resourceSelection.tagMap, of AmsScTag */
  AmsSrcLoc loc;
} AmsScLifecyclePolicy;

/* The events[] action of an event kind ("disable_key"). */
const char *ams_sc_event_action (AmsScEventKind kind);

/* Does lifecycle policy lp select the images of pipeline pl? Same account
 * and region, same resource type (AMIs or container images), and a recipe
 * of resourceSelection.recipes (name and semantic version pattern) or any
 * of its tagMap tags among the pipeline's image tags. */
gboolean ams_sc_lifecycle_selects (const AmsScLifecyclePolicy *lp, const AmsScPipeline *pl);
/* The same for the pipeline's images of recipe version `semver` (an older
 * version's images that existed at the start: amis[]). */
gboolean ams_sc_lifecycle_selects_version (const AmsScLifecyclePolicy *lp,
                                           const AmsScPipeline *pl, const char *semver);

/* launches[]: consumers launching instances from the pipeline's newest AMI
 * they can use in a region (owned copies or launch permissions). */
typedef struct
{
  const char *name;             /* default "launches[i]" */
  GArray *accounts;             /* of AmsScRef: 12-digit ids of defined accounts */
  GArray *units;                /* of AmsScRef: ou-… ids (or OU ARNs): every account under
                                   the OU, at the start of the run */
  AmsScRef region;              /* required */
  AmsScRef pipeline;            /* required: whose AMIs */
  double rate;                  /* launches per second, per account (Poisson), > 0 */
  AmsTime refresh;              /* how often a consumer looks again for the newest AMI; 0
                                   (default): before every launch */
  AmsSrcLoc loc;
} AmsScLaunches;

/* One EBS snapshot of an AMI that exists at the start. */
typedef struct
{
  const char *id;               /* snap-… */
  uint64_t bytes;               /* its volume's size */
} AmsScSnapshot;

/* amis[i]: an AMI that exists when the run starts (what describe-images
 * gives; amisim import writes them). It is registered in its owner's
 * account and region from the start: its snapshots are stored (a snapshot
 * listed by several AMIs is stored once), it counts against the AMI quota,
 * and consumers can launch from it. With `pipeline` it is an output of that
 * pipeline's image `version` (the image's own AMI in the pipeline's account
 * and region, or a distributed copy elsewhere): lifecycle policies rank
 * and act on it like the images the run builds. */
typedef struct
{
  const char *id;               /* ami-…, unique in the scenario */
  const char *name;             /* may be NULL */
  AmsScRef account;             /* the owner: where it is registered */
  AmsScRef region;
  AmsTime created_abs;          /* as written: µs since the Unix epoch */
  AmsTime created;              /* simulated time (<= 0: before the start) */
  gboolean disabled;            /* state: disabled */
  AmsTime deprecation_abs;      /* as written, AMS_TIME_NEVER: none */
  AmsTime deprecated_at;        /* simulated time, AMS_TIME_NEVER: none */
  GArray *snapshots;            /* of AmsScSnapshot, at least one */
  uint64_t bytes;               /* the snapshots' sizes added up */
  /* launchPermission (lp_*), tags (ami_tags), kms_key_id (the key its
   * snapshots are encrypted with; NULL value: not encrypted, or the
   * default EBS key with encrypted TRUE), region: as a distribution entry
   * would give them to the AMIs it makes */
  AmsScDistRegion *traits;
  AmsScRef pipeline;            /* NULL value: not an Image Builder image */
  const char *version;          /* with pipeline: "1.0.0/3" as written */
  const char *semver;           /* "1.0.0" (interned) */
  uint64_t build;               /* 3 */
  AmsSrcLoc loc;
} AmsScAmi;

/* TRUE if `version` (1.2.3) matches the semantic version pattern (1.x.x). */
gboolean ams_sc_semver_matches (const char *pattern, const char *version);
/* Orders two versions x.y.z numerically: <0, 0 or >0. */
int ams_sc_semver_compare (const char *a, const char *b);

typedef struct
{
  const char *file;         /* as given to the loader ("builtin:default.yaml" for the default) */
  int format_version;       /* `amisim:` — 1 */
  const char *name;         /* default: the file's base name without extension */
  const char *description;  /* may be NULL */
  uint64_t seed;            /* default 1 */
  AmsTime start;            /* µs since the Unix epoch; default 2026-01-01T00:00:00Z */
  AmsTime horizon;          /* simulated length (> 0), required */

  GPtrArray *regions;       /* of AmsScRegion* */
  GPtrArray *accounts;      /* of AmsScAccount* */
  GPtrArray *organizations; /* of AmsScOrg* */
  GPtrArray *account_sets;  /* of AmsScAccountSet* */
  GPtrArray *pipelines;     /* of AmsScPipeline* */
  GPtrArray *lifecycle_policies; /* of AmsScLifecyclePolicy* */
  GPtrArray *launches;      /* of AmsScLaunches* */
  GPtrArray *amis;          /* of AmsScAmi*: the AMIs that exist at the start */
  GPtrArray *components;    /* of AmsScComponent* */
  GPtrArray *recipes;       /* of AmsScRecipe*: recipes[] then container_recipes[] (recipe
                               blocks belong to their pipelines) */
  GPtrArray *resource_shares;   /* of AmsScResourceShare* */
  GPtrArray *resource_policies; /* of AmsScResourcePolicy* */
  GPtrArray *infrastructure_configurations; /* of AmsScInfraConfig* */
  GPtrArray *events;        /* of AmsScEvent*, in the order written */
  AmsScSimulation sim;

  /* owner of every string above */
  GStringChunk *strings;
} AmsScenario;

/* A command-line override: set the scalar at `path` to `value`.
 * `origin` names where it came from in error messages ("--set", "--seed"). */
typedef struct
{
  const char *path;
  const char *value;
  const char *origin;
} AmsOverride;

#define AMS_SCENARIO_ERROR (ams_scenario_error_quark ())
GQuark ams_scenario_error_quark (void);
typedef enum
{
  AMS_SCENARIO_ERROR_IO,      /* missing or unreadable file */
  AMS_SCENARIO_ERROR_INVALID, /* anything wrong with the content or an override */
} AmsScenarioError;

/* Loads a scenario from a file. */
AmsScenario *ams_scenario_load_file (const char *filename,
                                     const AmsOverride *overrides, guint n_overrides,
                                     GError **error);

/* The text of a scenario file, read whole (`-`: standard input, read once),
 * for loading it several times with ams_scenario_load_data (a sweep's
 * points); *display_name is what messages call it ("<stdin>" for `-`).
 * NULL with *error (AMS_SCENARIO_ERROR_IO) as ams_scenario_load_file. */
char *ams_scenario_read (const char *filename, gsize *len, const char **display_name,
                         GError **error);

/* Loads a scenario from memory; `display_name` is used in messages.
 * `len` < 0 means NUL-terminated. */
AmsScenario *ams_scenario_load_data (const char *display_name,
                                     const char *data, gssize len,
                                     const AmsOverride *overrides, guint n_overrides,
                                     GError **error);

/* Accepts NULL. */
void ams_scenario_free (AmsScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsScenario, ams_scenario_free)

/* Parsing of the scalar notations of SCENARIO.md §1, usable outside the
 * loader (the command line's --horizon). Each returns FALSE with a message
 * in *error (domain AMS_SCENARIO_ERROR, code INVALID) that says what is
 * wrong, without position (the caller adds it). */
gboolean ams_parse_duration (const char *text, AmsTime *out, GError **error);
gboolean ams_parse_size (const char *text, uint64_t *bytes, GError **error);
/* "45/m" -> events per second. */
gboolean ams_parse_rate (const char *text, double *per_second, GError **error);
/* "500MiB/s" -> bytes per second. */
gboolean ams_parse_throughput (const char *text, double *bytes_per_second, GError **error);
/* ISO 8601 UTC instant -> µs since the Unix epoch. */
gboolean ams_parse_time (const char *text, AmsTime *out, GError **error);
/* A random quantity: a plain duration, or fixed(D), uniform(min=D, max=D),
 * exponential(mean=D), normal(mean=D, sd=D), lognormal(mean=D, sd=D),
 * gamma(mean=D, sd=D), weibull(shape=K, scale=D), empirical([D, …]).
 * Values in seconds. *out must be zero or cleared. */
gboolean ams_parse_dist (const char *text, AmsDist *out, GError **error);

/* Loads a JSON or YAML document on its own (not a scenario) as an AmsValue
 * tree: the request file of `amisim policy eval`. Errors as for scenarios
 * (FILE:LINE:COL lines; IO for an unreadable file). */
AmsValueDoc *ams_value_load_file (const char *filename, GError **error);
AmsValueDoc *ams_value_load_data (const char *display_name, const char *data, gssize len,
                                  GError **error);

/* Formats a duration the way a person writes it: "1d2h30m", "45s",
 * "1.5s", "0s". Free with g_free. */
char *ams_format_duration (AmsTime t);

G_END_DECLS
