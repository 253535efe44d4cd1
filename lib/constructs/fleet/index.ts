export * from './immutable-fleet';
export { RUNTIME_PARAMETER_IDS, SSM_PARAMETER_TYPES } from './runtime-parameters';
export type { ColourAlarms } from './alarms';
export { ALARM_PERIOD } from './alarms';
export { TLS_POLICY, DEREGISTRATION_DELAY_SECONDS, ACCESS_LOG_PREFIX } from './load-balancer';
export { IMDS_HOP_LIMIT, TERMINATION_POLICIES, AGENT_METRICS_NAMESPACE } from './groups';
