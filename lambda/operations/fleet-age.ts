import { COLOURS } from '../shared/colours';
import { TAINT_TAG } from '../shared/operations';
import { runningInstances } from './observe';
import type { FleetObservation } from './observe';

/** The fleet's age and shape, as the fleet check publishes it. */
export interface FleetAge {
  /** Days since the oldest InService instance launched; 0 with none. */
  readonly oldestDays: number;
  readonly medianDays: number;
  readonly oldestInstance?: string;
  /** Days since the released image was released, if the ledger says when. */
  readonly releasedImageDays?: number;
  /** InService instances per AMI and per colour. */
  readonly byImage: Readonly<Record<string, number>>;
  readonly byColour: Readonly<Record<string, number>>;
  /** InService instances tagged tainted. */
  readonly tainted: readonly string[];
}

const DAY_MS = 86_400_000;
const round = (v: number) => Math.round(v * 100) / 100;

export function fleetAge(o: FleetObservation): FleetAge {
  const running = runningInstances(o);
  const ages = running
    .flatMap((i) =>
      i.launchTime ? [{ id: i.id, days: (o.now.getTime() - i.launchTime.getTime()) / DAY_MS }] : [],
    )
    .sort((a, b) => b.days - a.days);
  const sorted = ages.map((a) => a.days).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? 0
      : sorted.length % 2
        ? (sorted[mid] ?? 0)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const byImage: Record<string, number> = {};
  for (const i of running) byImage[i.imageId ?? 'unknown'] = (byImage[i.imageId ?? 'unknown'] ?? 0) + 1;
  const byColour = Object.fromEntries(
    COLOURS.map((c) => [c, (o.groups[c]?.instances ?? []).filter((i) => i.lifecycle === 'InService').length]),
  );
  const releasedAt = o.record?.releasedAt ? Date.parse(o.record.releasedAt) : Number.NaN;
  return {
    oldestDays: round(ages[0]?.days ?? 0),
    medianDays: round(median),
    ...(ages[0] ? { oldestInstance: ages[0].id } : {}),
    ...(Number.isFinite(releasedAt)
      ? { releasedImageDays: round((o.now.getTime() - releasedAt) / DAY_MS) }
      : {}),
    byImage,
    byColour,
    tainted: running.filter((i) => i.tags.has(TAINT_TAG)).map((i) => i.id),
  };
}
