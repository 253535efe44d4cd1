export * from './rollout-workflow';
export type { RolloutFleet, RolloutImages } from './rollout-fleet';
export type { RolloutDurationMetricOptions, RolloutMetricOptions } from './metrics';
