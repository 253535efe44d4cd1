export * from './bake-pipeline';
export * from './bake-pipeline-props';
export { SCAN_SEVERITIES, highestAllowedSeverity } from './scan-gate';
export type { AllowedSeverity, ScanSeverity } from './scan-gate';
