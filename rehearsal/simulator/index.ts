export { FleetSimulator } from './fleet-simulator';
export {
  ALL_THROTTLING_ERROR_NAMES,
  awsError,
  SimulatorUnsupportedError,
  THROTTLING_ERROR_NAMES,
  type SimService,
} from './errors';
export { DEFAULT_HEALTH_CHECK, DEREGISTRATION_DELAY_SECONDS } from './world';
export { NO_PROGRESS_TIMEOUT_SECONDS } from './refresh-engine';
export type { ImageBuildStatus } from './services/image-builder';
export type {
  AlarmKind,
  AlarmState,
  Colour,
  SimAlarmSpec,
  SimGroupSnapshot,
  SimGroupSpec,
  SimImage,
  SimSnapshot,
  SimTargetGroupSpec,
  SimWorldSpec,
} from './types';
