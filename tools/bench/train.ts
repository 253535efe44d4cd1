import type { ProductTemplates } from '../../rehearsal/synth';
import { log, round } from './stats';

export interface TrainFigure {
  /** Instances of dev, staging and prod. */
  readonly fleets: string;
  /** The bake to prod's release, less the time prod's promotion waited for its approval. */
  readonly leadTimeSeconds: number;
  /** Each environment's canary physics plus the configured soaks: what no workflow could beat. */
  readonly floorSeconds: number;
  /** leadTimeSeconds / floorSeconds. */
  readonly ratio: number;
  /** leadTimeSeconds − floorSeconds: what the workflows add to physics and soaks. */
  readonly overheadSeconds: number;
  /** Left out of the lead time: from prod's approval request to its answer. */
  readonly approvalWaitSeconds: number;
  /** Rollout and promotion executions, all environments. */
  readonly executions: number;
}

/**
 * A release train of the shipped config (dev → staging → prod, prod approved a day after the
 * bake) at each fleet size: the lead time from the factory's AVAILABLE image to prod's release
 * against its floor. The soaks dominate both; the ratio is what the orchestration adds.
 */
export async function trainFigures(
  templates: ProductTemplates,
  sizes: ReadonlyArray<readonly [number, number, number]>,
): Promise<TrainFigure[]> {
  const { TrainRehearsal } = await import('../../rehearsal/train/runner.js');
  const trains = new TrainRehearsal(templates);
  const figures: TrainFigure[] = [];
  for (const [dev, staging, prod] of sizes) {
    const { result } = await trains.run({
      train: ['dev', 'staging', 'prod'],
      fleets: { dev: { instances: dev }, staging: { instances: staging }, prod: { instances: prod } },
      releasedImage: 'ami-0aaaaaaaaaaaaaaaa',
      images: { 'ami-0bbbbbbbbbbbbbbbb': { healthy: true } },
      bake: { imageId: 'ami-0bbbbbbbbbbbbbbbb', atSecond: 0 },
      // A day after the bake: prod has asked by then (its soak ends hours earlier).
      approvals: [{ environment: 'prod', atSecond: 86_400, decision: 'approve' }],
      untilSecond: 7 * 86_400,
    });
    if (result.leadTimeSeconds === null)
      throw new Error(`the train with fleets ${dev}/${staging}/${prod} never released in prod`);
    figures.push({
      fleets: `${dev}/${staging}/${prod}`,
      leadTimeSeconds: result.leadTimeSeconds,
      floorSeconds: result.floorSeconds,
      ratio: round(result.leadTimeSeconds / Math.max(1, result.floorSeconds), 4),
      overheadSeconds: result.leadTimeSeconds - result.floorSeconds,
      approvalWaitSeconds: result.approvalWaitSeconds,
      executions: Object.values(result.environments).reduce((n, e) => n + (e?.executions ?? 0), 0),
    });
    log(
      `  train ${dev}/${staging}/${prod}: lead ${result.leadTimeSeconds} s (floor ${result.floorSeconds} s)`,
    );
  }
  return figures;
}
