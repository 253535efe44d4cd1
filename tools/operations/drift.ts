#!/usr/bin/env node
/** `npm run drift -- --env <env> [--json]`: exits 1 when the fleet drifted; see tools/operations/cli.ts. */
import './quiet';
import { driftMain } from './cli';

void driftMain(process.argv.slice(2), {
  // Only --scenario synthesizes the app (loading the CDK), so --help and AWS reads start fast.
  templates: async (configFile) =>
    (await import('../../rehearsal/synth.js')).synthesizeProductTemplates({
      ...(configFile ? { configFile } : {}),
      log: (line) => console.error(line),
    }).environments,
}).then((code) => {
  process.exitCode = code;
});
