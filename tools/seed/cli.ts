#!/usr/bin/env node
/**
 * Make the runtime-state SSM parameters an environment's deploy resolves exist and match what the
 * deploy will find: before the first deploy, and before re-creating a torn-down environment.
 *
 *   npm run seed -- --env dev [--image ami-0123456789abcdef0] [--region eu-west-1] [--reset] [--config FILE]
 *
 * Missing parameters are created. Existing ones are kept unless they can no longer be right (a
 * launch-template version the fleet's template does not have, an image that is gone, weights the
 * listener refuses): those are rewritten, and each rewrite is printed with its reason. --reset
 * rewrites all four, and is refused while the environment is deployed.
 */
import { parseArgs } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../../lib/config';
import { chooseEnvironments, configuredProduct } from '../configured-environments';
import { SeedError, seedRuntimeParameters } from './seed';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' },
      image: { type: 'string' },
      region: { type: 'string' },
      reset: { type: 'boolean' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run seed -- --env <environment> [--image ami-...] [--region <region>] [--reset]');
    return 0;
  }
  const configured = configuredProduct(values.config);
  const choice = chooseEnvironments(values.env, configured, { all: false });
  if (!choice.ok) {
    console.error(choice.message);
    return 2;
  }
  const [env = ''] = choice.environments;
  // A pinned environment seeds its own region; otherwise the SDK's usual region chain applies.
  const pinned = configured.product.environments.find((c) => c.name === env)?.region;
  const region = values.region ?? pinned;
  const clients = { ssm: new SSMClient({ region }), ec2: new EC2Client({ region }) };

  const result = await seedRuntimeParameters(clients, {
    environment: env,
    image: values.image,
    reset: values.reset ?? false,
  });
  const lt = result.launchTemplate;
  console.log(
    lt
      ? `${env} is deployed: launch template ${lt.name} has versions 1-${lt.latestVersion}, default ${lt.defaultVersion}.`
      : `${env} has no launch template: the next deploy creates one at version 1.`,
  );
  for (const name of result.created) console.log(`created   ${name}`);
  for (const r of result.rewritten) console.log(`rewritten ${r.name}: ${r.from} -> ${r.to} (${r.reason})`);
  for (const name of result.kept) console.log(`kept      ${name} (matches what the deploy will find)`);
  if (result.image) console.log(`released image: ${result.image} (SSM validates an AMI id asynchronously)`);
  if (result.created.length === 0 && result.rewritten.length === 0)
    console.log(`${env} was already seeded and consistent; nothing to do.`);
  else console.log(`${env} is seeded; deploy it (README: Deploying an environment).`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof SeedError || error instanceof TypeError || error instanceof ConfigError;
    console.error(known ? error.message : error);
    // A configuration that cannot be read or is not valid is a usage error: nothing was touched.
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
