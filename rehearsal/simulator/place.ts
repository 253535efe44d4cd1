import type { ImageCatalog } from './image-catalog';

/**
 * Where a simulated service runs: one account in one region, on the simulated clock. Services
 * of an account and region (SSM, DynamoDB, SNS, EventBridge, Image Builder) are shared by every
 * fleet deployed there; the region's AMIs are shared by every account in it.
 */
export interface Place {
  readonly accountId: string;
  readonly region: string;
  /** The simulated wall-clock time now. */
  now(): Date;
  /** The simulated wall-clock time `t` seconds after the simulation started (negative: before). */
  dateAt(t: number): Date;
  /** The region's AMIs, as EC2 keeps them for every account there. */
  readonly catalog: ImageCatalog;
}
