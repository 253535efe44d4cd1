export * from './bake-pipeline';
export * from './bake-pipeline-props';
export { highestAllowedSeverity } from './scan-gate';
export type { AllowedSeverity } from './scan-gate';
