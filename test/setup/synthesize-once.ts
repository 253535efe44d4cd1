import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { prepareRehearsalProcess } from '../../rehearsal/process';
import { synthesizeProductTemplates } from '../../rehearsal/synth';
import { SYNTHESIZED_TEMPLATES } from '../support/templates';

/**
 * Jest's global setup: synthesize the app's templates once per `npm test`, before any worker
 * starts, instead of once in every rehearsal test file (each synthesis loads the CDK and builds
 * all stacks). Tests read them back with `synthesizedTemplates()`.
 */
export default function synthesizeOnce(): void {
  prepareRehearsalProcess();
  mkdirSync(dirname(SYNTHESIZED_TEMPLATES), { recursive: true });
  writeFileSync(SYNTHESIZED_TEMPLATES, JSON.stringify(synthesizeProductTemplates()));
}
