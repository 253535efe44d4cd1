#!/usr/bin/env node
/**
 * Create the runtime-state SSM parameters an environment needs before its first deploy.
 *
 *   npm run seed -- --env dev [--image ami-0123456789abcdef0] [--region eu-west-1]
 *
 * Only missing parameters are created; an existing one is never overwritten.
 */
import { parseArgs } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ENVIRONMENT_NAMES } from '../../lambda/shared/environments';
import { loadEnvironments } from '../../lib/config';
import type { EnvironmentName } from '../../lambda/shared/environments';
import { SeedError, seedRuntimeParameters } from './seed';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' },
      image: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run seed -- --env <dev|staging|prod> [--image ami-...] [--region <region>]');
    return 0;
  }
  const env = values.env;
  if (!isEnvironment(env)) {
    console.error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}, got ${JSON.stringify(env ?? null)}`);
    return 2;
  }
  // A pinned environment seeds its own region; otherwise the SDK's usual region chain applies.
  const pinned = loadEnvironments({ env: process.env }).find((c) => c.name === env)?.region;
  const region = values.region ?? pinned;
  const clients = { ssm: new SSMClient({ region }), ec2: new EC2Client({ region }) };

  const result = await seedRuntimeParameters(clients, { environment: env, image: values.image });
  for (const name of result.created) console.log(`created ${name}`);
  for (const name of result.kept) console.log(`kept    ${name} (already exists, not overwritten)`);
  if (result.created.length === 0) console.log(`${env} was already seeded; nothing to do.`);
  else console.log(`${env} is seeded; deploy it, then let the first baked image roll out.`);
  return 0;
}

function isEnvironment(value: unknown): value is EnvironmentName {
  return typeof value === 'string' && (ENVIRONMENT_NAMES as readonly string[]).includes(value);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof SeedError || error instanceof TypeError ? error.message : error);
    process.exit(1);
  },
);
