import type { EnvironmentConfig } from './environment-schema';
import type { ImageFactoryConfig } from './image-factory-schema';

/**
 * The shipped product: the image factory and three environments its images are promoted
 * through, dev -> staging -> prod. It is what synth uses without `-c config=FILE` (the same data
 * as examples/dev-staging-prod.json, which a test keeps equal). `loadConfig` validates it at
 * synth. Account and region are left out so every stack synthesizes env-agnostic and offline (all
 * in one account); pin them on the factory and every environment (with
 * `network.availabilityZones`) for a real deployment, across accounts and regions if you like:
 * distribution and event forwarding follow.
 */
type RawConfig = EnvironmentConfig;

const AL2023_X86 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

export const IMAGE_FACTORY: Omit<ImageFactoryConfig, 'sourceRevision'> = {
  network: { kind: 'new', cidr: '10.0.0.0/16', maxAzs: 2, natGateways: 0 },
  recipeVersion: '1.0.0',
  parentImage: { kind: 'ssm-parameter', name: AL2023_X86 },
  instanceTypes: ['t3.small'],
  rootVolumeGiB: 16,
  app: { name: 'web', version: '1.0.0', serviceName: 'web.service', port: 8080, healthCheckPath: '/health' },
  schedule: { cron: 'cron(0 3 ? * MON-FRI *)', timezone: 'UTC', onlyWhenDependenciesUpdated: false },
  scan: { failOnSeverity: 'CRITICAL' },
  lifecycle: { deprecateAfterDays: 30, deleteAfterDays: 90, keepAtLeast: 5 },
  logRetentionDays: 90,
  // A placeholder: synth warns until it is a real address, and a pinned factory refuses it.
  notificationEmails: ['platform-oncall@example.com'],
};

const dev: RawConfig = {
  name: 'dev',
  promotion: { from: 'image-factory' },
  images: { failOnSeverity: 'CRITICAL', trustedOwners: [] },
  network: { kind: 'new', cidr: '10.10.0.0/16', maxAzs: 2, natGateways: 0 },
  fleet: {
    instanceType: 't3.small',
    capacity: { min: 2, desired: 2, max: 6 },
    rootVolumeGiB: 16,
    healthCheck: {
      intervalSeconds: 15,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      gracePeriodSeconds: 120,
    },
    loadBalancer: { internetFacing: true, ingressCidr: '0.0.0.0/0', deletionProtection: false },
    sessionManager: true,
    // developers look around in dev: say who did, keep the instance
    onInteractiveAccess: 'alert',
    logRetentionDays: 30,
    alarms: {
      max5xxRatio: 0.05,
      p99LatencySeconds: 2,
      maxUnhealthyHosts: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
  },
  rollout: {
    maxInstanceAgeDays: 7,
    // a weekly phoenix schedule, and a day to notice it ran late
    fleetAgeGraceDays: 8,
    expectedBootSeconds: 120,
    ledgerDeletionProtection: false,
    refresh: {
      minHealthyPercentage: 50,
      maxHealthyPercentage: 150,
      instanceWarmupSeconds: 60,
      checkpointPercentages: [],
      checkpointDelaySeconds: 0,
      bakeTimeSeconds: 0,
    },
    canary: {
      steps: [10, 50, 100],
      bakeSeconds: 180,
      healthyDeadlineSeconds: 900,
      max5xxRatio: 0.05,
      max5xxRatioIncrease: 0.02,
      maxP99LatencySeconds: 2,
      maxLatencyRatio: 2,
      minRequests: 50,
    },
    rollbackSteps: [100],
    scaleDownDelaySeconds: 300,
    lockTtlSeconds: 4 * 3600,
    timeoutMinutes: 180,
    phoenixSchedule: {
      enabled: true,
      cron: 'cron(0 5 ? * MON *)',
      timezone: 'UTC',
      flexibleWindowMinutes: 30,
    },
    freezeWindows: [],
    // A placeholder: synth warns until it is a real address, and a pinned environment refuses it.
    notificationEmails: ['platform-oncall@example.com'],
  },
};

const staging: RawConfig = {
  ...dev,
  name: 'staging',
  // dev's releases, once they have stood for an hour
  promotion: { from: 'dev', soakMinutes: 60, approval: 'automatic', approvalTimeoutHours: 72 },
  // stricter than dev: a HIGH finding dev tolerated stops the image here
  images: { failOnSeverity: 'HIGH', trustedOwners: [] },
  network: { kind: 'new', cidr: '10.20.0.0/16', maxAzs: 2, natGateways: 1 },
  fleet: {
    ...dev.fleet,
    instanceType: 't3.medium',
    capacity: { min: 2, desired: 4, max: 12 },
    sessionManager: true,
    // staging judges the image prod will run: an instance changed by hand would skew that verdict
    onInteractiveAccess: 'replace',
    logRetentionDays: 90,
    alarms: { ...dev.fleet.alarms, max5xxRatio: 0.02, p99LatencySeconds: 1.5 },
  },
  rollout: {
    ...dev.rollout,
    refresh: {
      ...dev.rollout.refresh,
      minHealthyPercentage: 75,
      maxHealthyPercentage: 125,
      instanceWarmupSeconds: 120,
    },
    canary: {
      ...dev.rollout.canary,
      steps: [5, 25, 50, 100],
      bakeSeconds: 300,
      max5xxRatio: 0.02,
      maxP99LatencySeconds: 1.5,
    },
    rollbackSteps: [50, 100],
    scaleDownDelaySeconds: 900,
    phoenixSchedule: { ...dev.rollout.phoenixSchedule, cron: 'cron(0 5 ? * TUE *)' },
  },
};

const prod: RawConfig = {
  ...staging,
  name: 'prod',
  // staging's releases, after a four-hour soak and a person's approval
  promotion: { from: 'staging', soakMinutes: 240, approval: 'manual', approvalTimeoutHours: 72 },
  network: { kind: 'new', cidr: '10.30.0.0/16', maxAzs: 3, natGateways: 0 },
  fleet: {
    ...staging.fleet,
    instanceType: 'm7i.large',
    capacity: { min: 4, desired: 6, max: 24 },
    loadBalancer: {
      internetFacing: true,
      ingressCidr: '0.0.0.0/0',
      deletionProtection: true,
      certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000000',
    },
    sessionManager: false,
    onInteractiveAccess: 'replace',
    logRetentionDays: 365,
    alarms: {
      max5xxRatio: 0.01,
      p99LatencySeconds: 1,
      maxUnhealthyHosts: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
  },
  rollout: {
    ...staging.rollout,
    maxInstanceAgeDays: 14,
    ledgerDeletionProtection: true,
    refresh: {
      minHealthyPercentage: 90,
      maxHealthyPercentage: 110,
      instanceWarmupSeconds: 180,
      checkpointPercentages: [50, 100],
      checkpointDelaySeconds: 300,
      bakeTimeSeconds: 600,
    },
    canary: { ...staging.rollout.canary, bakeSeconds: 600, max5xxRatio: 0.01, maxP99LatencySeconds: 1 },
    scaleDownDelaySeconds: 3600,
    phoenixSchedule: {
      enabled: true,
      cron: 'cron(0 6 ? * WED *)',
      timezone: 'Europe/London',
      flexibleWindowMinutes: 60,
    },
    freezeWindows: [
      { start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z', reason: 'year-end change freeze' },
    ],
  },
};

/** The shipped environments, in promotion order. */
export const ENVIRONMENTS: readonly RawConfig[] = [dev, staging, prod];
