import { byColour } from '../../../lambda/shared/colours';
import type { EnvironmentName } from '../../../lambda/shared/environments';
import { runtimeParameters } from '../../../lambda/shared/names';
import type { DownstreamEnvironment, WorkflowSettings } from '../../../lambda/shared/settings';
import type { RolloutConfig } from '../../config';
import { trustedImageOwners } from './rollout-fleet';
import type { RolloutFleet, RolloutImages } from './rollout-fleet';

export interface WorkflowSettingsSources {
  readonly environment: EnvironmentName;
  readonly fleet: RolloutFleet;
  /** Name of the ledger table (the lock, the fleet record and the ledger). */
  readonly table: string;
  /** The environment's rollout configuration. */
  readonly rollout: RolloutConfig;
  /** The environment whose releases gate this one's canaries, if it takes another's releases. */
  readonly promoteFrom?: EnvironmentName;
  /** The environments that take this one's releases. */
  readonly downstream: readonly DownstreamEnvironment[];
  /** Where the environment's images come from, and the scan threshold they must pass. */
  readonly images: RolloutImages;
}

/**
 * What every step knows about its environment, fixed at deploy time: the fleet's resources
 * (as tokens) and the rollout configuration. The definition embeds it in its first state, so
 * the rehearsal runs with exactly what is deployed.
 */
export function workflowSettings({
  environment,
  fleet,
  table,
  rollout,
  promoteFrom,
  downstream,
  images,
}: WorkflowSettingsSources): WorkflowSettings {
  const parameters = runtimeParameters(environment);
  return {
    environment,
    groups: byColour((c) => fleet.groupNames[c]),
    targetGroups: byColour((c) => fleet.targetGroups[c].targetGroupArn),
    targetGroupDimensions: byColour((c) => fleet.targetGroupFullNames[c]),
    loadBalancerDimension: fleet.loadBalancerFullName,
    listenerArn: fleet.listenerArn,
    launchTemplateId: fleet.launchTemplateId,
    alarms: byColour((c) => {
      const a = fleet.alarms[c];
      return [a.errors5xx, a.latency, a.unhealthyHosts, a.fleetUnhealthy].map((x) => x.alarmName);
    }),
    refreshAlarms: byColour((c) => fleet.refreshAlarmNames(c)),
    table,
    parameters: {
      releasedImage: parameters.releasedImage,
      listenerWeights: parameters.listenerWeights,
      launchTemplateVersions: byColour((c) => parameters.launchTemplateVersion(c)),
    },
    capacity: { min: fleet.capacity.min, desired: fleet.capacity.desired, max: fleet.capacity.max },
    expectedBootSeconds: rollout.expectedBootSeconds,
    maxInstanceAgeDays: rollout.maxInstanceAgeDays,
    refresh: { ...rollout.refresh, checkpointPercentages: [...rollout.refresh.checkpointPercentages] },
    canary: { ...rollout.canary, steps: [...rollout.canary.steps] },
    rollbackSteps: [...rollout.rollbackSteps],
    scaleDownDelaySeconds: rollout.scaleDownDelaySeconds,
    lockTtlSeconds: rollout.lockTtlSeconds,
    timeoutSeconds: rollout.timeoutMinutes * 60,
    freezeWindows: rollout.freezeWindows.map((w) => ({ ...w })),
    ...(promoteFrom ? { promoteFrom } : {}),
    downstream: downstream.map((d) => ({ ...d })),
    images: {
      owners: trustedImageOwners(images),
      failOnSeverity: images.scanGateSeverity,
    },
  };
}
