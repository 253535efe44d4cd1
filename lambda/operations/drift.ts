import { COLOURS } from '../shared/colours';
import { TAINT_TAG } from '../shared/operations';
import { AMI_TAGS } from '../shared/tags';
import { colourOf, runningInstances } from './observe';
import type { FleetObservation } from './observe';

/** The kinds of drift, each a promise of the product that no longer holds. */
export type DriftKind =
  | 'image'
  | 'launch-template-version'
  | 'runtime-parameter'
  | 'weights'
  | 'warm-colour'
  | 'lineage'
  | 'tainted'
  | 'no-record';

export interface DriftFinding {
  readonly kind: DriftKind;
  /** What drifted: an instance, a parameter, the listener, a colour, an AMI. */
  readonly subject: string;
  readonly detail: string;
}

/** The lineage tags every AMI the image factory bakes carries (lambda/factory/lineage.ts). */
const LINEAGE_TAGS = [AMI_TAGS.pipeline, AMI_TAGS.recipe, AMI_TAGS.recipeVersion, AMI_TAGS.sourceRevision];

/**
 * Where the fleet is not what was released. While a rollout holds the lock the fleet is meant to
 * be between states, so instances, versions, weights and the idle colour are not judged then;
 * runtime parameters, lineage and taints are judged always.
 */
export function findDrift(o: FleetObservation): DriftFinding[] {
  const record = o.record;
  if (!record)
    return [
      { kind: 'no-record', subject: 'ledger', detail: 'no fleet record: the fleet was never released' },
    ];
  const findings: DriftFinding[] = [];
  const colours = colourOf(o);
  const running = runningInstances(o);
  const steady = o.lock === undefined;
  const warm = record.warm && Date.parse(record.warm.until) > o.now.getTime() ? record.warm : undefined;

  if (steady) {
    for (const i of running) {
      const colour = colours.get(i.id);
      const expected = warm && colour === warm.colour ? warm.image : record.releasedImage;
      if (i.imageId !== expected)
        findings.push({
          kind: 'image',
          subject: i.id,
          detail: `runs ${i.imageId ?? 'an unknown image'}, not the released ${expected}`,
        });
    }
    for (const c of COLOURS) {
      for (const gi of o.groups[c]?.instances ?? []) {
        if (gi.lifecycle !== 'InService' || gi.version === undefined || gi.version === record.versions[c])
          continue;
        findings.push({
          kind: 'launch-template-version',
          subject: gi.id,
          detail: `launched from version ${gi.version} of the launch template; the ${c} group's recorded version is ${record.versions[c]}`,
        });
      }
    }
    if (o.weights.blue > 0 && o.weights.green > 0)
      findings.push({
        kind: 'weights',
        subject: 'listener',
        detail: `traffic split ${o.weights.blue}/${o.weights.green} (blue/green) while no rollout holds the lock`,
      });
    const idle = record.liveColour === 'blue' ? 'green' : 'blue';
    const idleGroup = o.groups[idle];
    if (idleGroup && idleGroup.desired > 0 && warm?.colour !== idle)
      findings.push({
        kind: 'warm-colour',
        subject: idleGroup.name,
        detail: `the idle ${idle} colour runs ${idleGroup.desired} instance(s) past its warm window${record.warm ? ` (ended ${record.warm.until})` : ''}`,
      });
  }

  const p = o.parameters;
  if (p.releasedImage !== record.releasedImage)
    findings.push({
      kind: 'runtime-parameter',
      subject: 'released image',
      detail: `the parameter says ${p.releasedImage ?? 'nothing'}, the ledger ${record.releasedImage}`,
    });
  for (const c of COLOURS)
    if (p.versions[c] !== record.versions[c])
      findings.push({
        kind: 'runtime-parameter',
        subject: `${c} launch-template version`,
        detail: `the parameter says ${p.versions[c] ?? 'nothing'}, the ledger ${record.versions[c]}`,
      });

  for (const image of new Set(running.flatMap((i) => (i.imageId ? [i.imageId] : [])))) {
    const tags = o.imageTags.get(image);
    const missing = LINEAGE_TAGS.filter((t) => !tags?.get(t));
    if (missing.length > 0)
      findings.push({
        kind: 'lineage',
        subject: image,
        detail: `in use without lineage tags ${missing.join(', ')}`,
      });
  }

  for (const i of running) {
    const taint = i.tags.get(TAINT_TAG);
    if (taint) findings.push({ kind: 'tainted', subject: i.id, detail: `still serving after ${taint}` });
  }
  return findings;
}
