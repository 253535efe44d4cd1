#!/usr/bin/env node
/**
 * Make the runtime-state SSM parameters an environment's deploy resolves exist and match what the
 * deploy will find: before the first deploy, and before re-creating a torn-down environment.
 *
 *   npm run seed -- --env dev [--image ami-0123456789abcdef0] [--region eu-west-1] [--reset]
 *
 * Missing parameters are created. Existing ones are kept unless they can no longer be right (a
 * launch-template version the fleet's template does not have, an image that is gone, weights the
 * listener refuses): those are rewritten, and each rewrite is printed with its reason. --reset
 * rewrites all four, and is refused while the environment is deployed.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AMI_ID_RULE, isAmiId } from '../../lambda/shared/ami';
import { UsageError } from '../cli/command-line';
import { exitStatusHelp } from '../cli/exit-status';
import { runAsProgram } from '../cli/run-command';
import { CONFIG_FLAG_HELP, regionOf, selectEnvironments } from '../configured-environments';
import type { Command } from '../cli/run-command';
import { SeedError, seedRuntimeParameters } from './seed';

export const SEED_USAGE = `Make the runtime-state SSM parameters an environment's deploy resolves exist and match what the
deploy will find: before the first deploy, and before re-creating a torn-down environment. Missing
parameters are created; one that can no longer be right is rewritten, with its reason.

usage: npm run seed -- --env <environment> [--image <ami-id>] [--region <region>] [--reset] [--config FILE]

  --image    the AMI a (re)written released-image parameter names (default: the current Amazon Linux 2023 AMI)
  --region   where the environment runs (default: the environment's pinned region, else AWS_REGION or your profile's)
  --reset    rewrite all four parameters, for an environment re-created from nothing (refused while it is deployed)
  ${CONFIG_FLAG_HELP}

${exitStatusHelp({ ok: 'seeded, or already consistent', failed: 'refused (see the message)' })}`;

const options = {
  env: { type: 'string' },
  image: { type: 'string' },
  region: { type: 'string' },
  reset: { type: 'boolean' },
  config: { type: 'string' },
} as const;

export const seedCommand: Command<typeof options> = {
  script: 'seed',
  usage: SEED_USAGE,
  options,
  failures: [SeedError],
  async run({ values }, io) {
    const { configured, environments } = selectEnvironments(values, { all: false, env: io.env });
    const [env = ''] = environments;
    if (values.image !== undefined && !isAmiId(values.image))
      throw new UsageError(`--image ${AMI_ID_RULE}, got ${JSON.stringify(values.image)}`);
    // A pinned environment seeds its own region; otherwise the SDK's usual region chain applies.
    const region = regionOf(configured, env, values.region);
    const clients = { ssm: new SSMClient({ region }), ec2: new EC2Client({ region }) };

    const result = await seedRuntimeParameters(clients, {
      environment: env,
      image: values.image,
      reset: values.reset ?? false,
    });
    const lt = result.launchTemplate;
    io.out(
      lt
        ? `${env} is deployed: launch template ${lt.name} has versions 1-${lt.latestVersion}, default ${lt.defaultVersion}.`
        : `${env} has no launch template: the next deploy creates one at version 1.`,
    );
    for (const name of result.created) io.out(`created   ${name}`);
    for (const r of result.rewritten) io.out(`rewritten ${r.name}: ${r.from} -> ${r.to} (${r.reason})`);
    for (const name of result.kept) io.out(`kept      ${name} (matches what the deploy will find)`);
    if (result.image) io.out(`released image: ${result.image} (SSM validates an AMI id asynchronously)`);
    if (result.created.length === 0 && result.rewritten.length === 0)
      io.out(`${env} was already seeded and consistent; nothing to do.`);
    else io.out(`${env} is seeded; deploy it (README: Deploying an environment).`);
  },
};

// Run only as a program, not when a test imports the command.
if (require.main === module) runAsProgram(seedCommand);
