/* amisim tests — the scenario fragments the lifecycle tests share
 * (test_lifecycle.c, test_amis.c): an owner account with the lifecycle
 * execution role, pipelines building daily in us-east-1, a distribution to
 * the build region only, a policy on a recipe's versions, and simulation
 * settings that make every time exact (lifecycle runs at 03:00, each
 * resource state update takes 1 min). */
#pragma once

#include "amisim/engine.h"

/* The run of day r, and what happens m minutes after it. */
#define RUN(r) (AMS_DAYS (r) + AMS_HOURS (3))
#define RUN_PLUS(r, m) (RUN (r) + AMS_MINUTES (m))

#define IMG AMS_LC_RESOURCE_IMAGE
#define AMI AMS_LC_RESOURCE_AMI
#define SNAP AMS_LC_RESOURCE_SNAPSHOT
#define OK AMS_LC_SUCCESS
#define FAILED AMS_LC_FAILED
#define SKIPPED AMS_LC_SKIPPED

/* ---- scenario fragments ---------------------------------------------------- */

#define HEAD(horizon)                                                                        \
  "amisim: 1\n"                                                                            \
  "start: 2026-01-01T00:00:00Z\n"                                                          \
  "horizon: " horizon "\n"

#define EXECUTION_ROLE                                                                       \
  "    roles:\n"                                                                           \
  "      - name: EC2ImageBuilderLifecycleExecutionRole\n"                                  \
  "        trust: {Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com}, " \
  "Action: \"sts:AssumeRole\"}]}\n"                                                        \
  "        managed_policies: [EC2ImageBuilderLifecycleExecutionPolicy]\n"

/* the owner account with the policy's execution role */
#define OWNER                                                                                \
  "  - id: \"111111111111\"\n" EXECUTION_ROLE

#define DISTRIBUTION_ROLE                                                                    \
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"                            \
  "        trust: {Statement: [{Effect: Allow, Principal: {AWS: \"arn:aws:iam::111111111111:root\"}, " \
  "Action: \"sts:AssumeRole\"}]}\n"                                                        \
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"

/* Ec2ImageBuilderCrossAccountLifecycleAccess trusting the service for `source` */
#define LIFECYCLE_ROLE(source)                                                               \
  "      - name: Ec2ImageBuilderCrossAccountLifecycleAccess\n"                             \
  "        trust: {Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com}, " \
  "Action: \"sts:AssumeRole\", Condition: {StringEquals: {\"aws:SourceAccount\": \"" source "\"}, " \
  "ArnLike: {\"aws:SourceArn\": \"arn:*:imagebuilder:*:*:image/*/*/*\"}}}]}\n"            \
  "        managed_policies: [EC2ImageBuilderLifecycleExecutionPolicy]\n"

/* pipeline fields: daily at `hour`:00 UTC (cron day-of-month `days`) */
#define PIPELINE(name, recipe, version, hour, days)                                          \
  "  - name: " name "\n"                                                                   \
  "    account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    schedule: {scheduleExpression: \"cron(0 " hour " " days " * ? *)\", "                 \
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"                             \
  "    recipe: {name: " recipe ", version: " version ", snapshot_size: 10GiB}\n"            \
  "    build_time: 10m\n"                                                                  \
  "    test_time: 0s\n"

/* a distribution to the build region only: one AMI per image */
#define HOME_ONLY                                                                            \
  "    distribution:\n"                                                                    \
  "      name: home\n"                                                                     \
  "      distributions:\n"                                                                 \
  "        - region: us-east-1\n"                                                          \
  "          amiDistributionConfiguration: {name: \"ami {{ imagebuilder:buildDate }}\"}\n"

#define POLICY(name, recipe, semver)                                                         \
  "  - account: \"111111111111\"\n"                                                        \
  "    region: us-east-1\n"                                                                \
  "    name: " name "\n"                                                                   \
  "    executionRole: EC2ImageBuilderLifecycleExecutionRole\n"                             \
  "    resourceType: AMI_IMAGE\n"                                                          \
  "    resourceSelection: {recipes: [{name: " recipe ", semanticVersion: " semver "}]}\n"   \
  "    policyDetails:\n"

#define DELETE_ALL "      - action: {type: DELETE, includeResources: {amis: true, snapshots: true}}\n"

#define SIMULATION                                                                           \
  "simulation:\n"                                                                          \
  "  schedule_delay: 0s\n"                                                                 \
  "  copy: {duration: 30m}\n"                                                              \
  "  lifecycle_run_at: \"03:00\"\n"                                                        \
  "  lifecycle: {update_time: 1m}\n"
