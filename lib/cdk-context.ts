import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The context (feature flags, telemetry off) that cdk.json gives `cdk synth`. Apps built
 * in-process — the rehearsal, the tests — start from it, so they synthesize what the CLI does.
 */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = (
  JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;
