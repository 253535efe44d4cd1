#!/usr/bin/env node
/**
 * Answer a promotion that waits for a person's approval (the notification names this command).
 *
 *   npm run approve -- --env prod --image ami-0123456789abcdef0 [--by alice]
 *   npm run approve -- --env prod --image ami-0123456789abcdef0 --reject --reason "why"
 *   npm run approve -- --env prod --list
 *
 * Only a promotion that is asking now can be answered: an approval given earlier is refused, not
 * remembered. Exit status: 0 answered (or listed), 1 refused or failed, 2 a usage error.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENVIRONMENT_NAMES, isEnvironmentName } from '../../lambda/shared/environments';
import { NoPendingApproval } from '../../lambda/shared/errors';
import { ApproveError, decide, pendingApprovals } from './approve';

const USAGE = `usage: npm run approve -- --env <${ENVIRONMENT_NAMES.join('|')}> --image <ami-id> [--reject --reason "<why>"] [--by <name>] [--region <region>]
       npm run approve -- --env <environment> --list [--region <region>]`;

const AMI = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export async function main(argv: string[], out = console.log, err = console.error): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        image: { type: 'string' },
        reject: { type: 'boolean', default: false },
        reason: { type: 'string' },
        by: { type: 'string' },
        list: { type: 'boolean', default: false },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const env = values.env;
  if (!isEnvironmentName(env)) {
    err(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}, got ${JSON.stringify(env ?? null)}\n${USAGE}`);
    return 2;
  }
  const clients = {
    sfn: new SFNClient({ region: values.region }),
    db: new DynamoDBClient({ region: values.region }),
    ssm: new SSMClient({ region: values.region }),
  };
  if (values.list) {
    const pending = await pendingApprovals(clients, env);
    if (pending.length === 0) out(`no promotion waits for approval in ${env}`);
    for (const p of pending)
      out(`${p.imageId}  from ${p.from}, asked ${p.requestedAt}, answer by ${p.expiresAt}  (${p.execution})`);
    return 0;
  }
  if (!values.image || !AMI.test(values.image)) {
    err(
      `--image must be the AMI id the notification names, like ami-0123456789abcdef0, got ${JSON.stringify(values.image ?? null)}\n${USAGE}`,
    );
    return 2;
  }
  if (values.reject && !values.reason?.trim()) {
    err('--reject needs --reason "<why>": the promotion ends with it, and the notification says it');
    return 2;
  }
  if (!values.reject && values.reason !== undefined) {
    err('--reason goes with --reject only');
    return 2;
  }
  const decision = values.reject ? 'reject' : 'approve';
  const by = values.by ?? userInfo().username;
  const r = await decide(clients, {
    environment: env,
    imageId: values.image,
    decision,
    by,
    ...(values.reason ? { reason: values.reason } : {}),
  });
  out(
    decision === 'approve'
      ? `approved ${values.image} for ${env}: its canary starts now (${r.execution})`
      : `rejected ${values.image} for ${env}: the promotion ends and ${env} stays on its release (${r.execution})`,
  );
  return 0;
}

// Run only as a program, not when a test imports main().
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      const known = error instanceof NoPendingApproval || error instanceof ApproveError;
      console.error(known ? (error as Error).message : error);
      process.exitCode = 1;
    },
  );
}
