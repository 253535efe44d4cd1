import { findDrift } from '../../lambda/operations/drift';
import type { DriftFinding } from '../../lambda/operations/drift';
import { fleetAge } from '../../lambda/operations/fleet-age';
import { AMI_TAGS } from '../../lambda/shared/tags';
import type { EnvironmentView } from './world';

/** One environment's status, as `npm run status -- --json` prints it. */
export interface StatusReport {
  readonly environment: string;
  readonly released?: {
    readonly image: string;
    readonly releasedAt?: string;
    readonly ageDays?: number;
    readonly lineage: Record<string, string>;
  };
  readonly previousImage?: string;
  readonly liveColour?: string;
  readonly weights: { blue: number; green: number };
  readonly instancesByImage: Record<string, number>;
  readonly oldestInstance?: { readonly id: string; readonly ageDays: number };
  readonly lock?: { readonly owner: string; readonly action: string; readonly acquiredAt: string };
  readonly warm?: { readonly colour: string; readonly image: string; readonly until: string };
  readonly tainted: readonly string[];
  readonly lastRollouts: ReadonlyArray<{
    readonly startedAt: string;
    readonly action: string;
    readonly trigger: string;
    readonly status: string;
    readonly from?: string;
    readonly to?: string;
    readonly error?: string;
  }>;
}

const LINEAGE = [AMI_TAGS.pipeline, AMI_TAGS.recipe, AMI_TAGS.recipeVersion, AMI_TAGS.sourceRevision];

export function statusReport(view: EnvironmentView): StatusReport {
  const o = view.observation;
  const age = fleetAge(o);
  const record = o.record;
  const tags = record ? o.imageTags.get(record.releasedImage) : undefined;
  return {
    environment: o.environment,
    ...(record
      ? {
          released: {
            image: record.releasedImage,
            ...(record.releasedAt ? { releasedAt: record.releasedAt } : {}),
            ...(age.releasedImageDays !== undefined ? { ageDays: age.releasedImageDays } : {}),
            lineage: Object.fromEntries(
              LINEAGE.flatMap((k) => (tags?.get(k) ? [[k, tags.get(k) as string]] : [])),
            ),
          },
          ...(record.previousImage ? { previousImage: record.previousImage } : {}),
          liveColour: record.liveColour,
          ...(record.warm ? { warm: { ...record.warm } } : {}),
        }
      : {}),
    weights: { ...o.weights },
    instancesByImage: { ...age.byImage },
    ...(age.oldestInstance ? { oldestInstance: { id: age.oldestInstance, ageDays: age.oldestDays } } : {}),
    ...(o.lock
      ? { lock: { owner: o.lock.owner, action: o.lock.action, acquiredAt: o.lock.acquiredAt } }
      : {}),
    tainted: age.tainted,
    lastRollouts: view.history.map((e) => ({
      startedAt: e.startedAt,
      action: e.action,
      trigger: e.trigger,
      status: e.status,
      ...(e.fromImage ? { from: e.fromImage } : {}),
      ...(e.toImage ? { to: e.toImage } : {}),
      ...(e.error ? { error: e.error } : {}),
    })),
  };
}

export function formatStatus(r: StatusReport): string {
  const lines = [`${r.environment}`];
  if (r.released) {
    const lineage = Object.entries(r.released.lineage)
      .map(([k, v]) => `${k.replace('immutable:', '')}=${v}`)
      .join(' ');
    lines.push(
      `  released   ${r.released.image}${r.released.ageDays !== undefined ? `, ${r.released.ageDays} days ago` : ''}${lineage ? ` (${lineage})` : ' (no lineage tags)'}`,
    );
  } else lines.push('  released   nothing yet: the fleet was never released');
  if (r.previousImage) lines.push(`  previous   ${r.previousImage}`);
  lines.push(
    `  live       ${r.liveColour ?? '?'}, weights blue ${r.weights.blue} / green ${r.weights.green}`,
  );
  if (r.warm) lines.push(`  warm       ${r.warm.colour} on ${r.warm.image} until ${r.warm.until}`);
  const perImage = Object.entries(r.instancesByImage).map(([image, n]) => `${n} on ${image}`);
  lines.push(`  instances  ${perImage.length ? perImage.join(', ') : 'none'}`);
  if (r.oldestInstance) lines.push(`  oldest     ${r.oldestInstance.id}, ${r.oldestInstance.ageDays} days`);
  lines.push(
    `  lock       ${r.lock ? `${r.lock.action} since ${r.lock.acquiredAt} (${r.lock.owner})` : 'free'}`,
  );
  if (r.tainted.length) lines.push(`  tainted    ${r.tainted.join(', ')}`);
  lines.push('  last rollouts');
  if (r.lastRollouts.length === 0) lines.push('    none');
  for (const e of r.lastRollouts)
    lines.push(
      `    ${e.startedAt}  ${e.action.padEnd(8)} ${e.status.padEnd(11)} ${e.trigger}${e.to ? `  ${e.from ?? '?'} -> ${e.to}` : ''}${e.error ? `  ${e.error}` : ''}`,
    );
  return lines.join('\n');
}

export function driftReport(view: EnvironmentView): { environment: string; findings: DriftFinding[] } {
  return { environment: view.observation.environment, findings: findDrift(view.observation) };
}

export function formatDrift(r: { environment: string; findings: readonly DriftFinding[] }): string {
  if (r.findings.length === 0) return `${r.environment}: no drift; the fleet is what was released`;
  return [
    `${r.environment}: ${r.findings.length} drift finding${r.findings.length === 1 ? '' : 's'}`,
    ...r.findings.map((f) => `  ${f.kind.padEnd(24)} ${f.subject}: ${f.detail}`),
  ].join('\n');
}
