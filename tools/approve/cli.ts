#!/usr/bin/env node
/**
 * Answer a promotion that waits for a person's approval (the notification names this command).
 *
 *   npm run approve -- --env prod --image ami-0123456789abcdef0 [--by alice]
 *   npm run approve -- --env prod --image ami-0123456789abcdef0 --reject --reason "why"
 *   npm run approve -- --env prod --list
 *   (each takes --config FILE: the product configuration the environment comes from)
 *
 * Only a promotion that is asking now can be answered: an approval given earlier is refused, not
 * remembered.
 */
import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AMI_ID_RULE, isAmiId } from '../../lambda/shared/ami';
import { NoPendingApproval } from '../../lambda/shared/errors';
import { UsageError } from '../cli/command-line';
import { exitStatusHelp } from '../cli/exit-status';
import { runAsProgram } from '../cli/run-command';
import { CONFIG_FLAG_HELP, regionOf, selectEnvironments } from '../configured-environments';
import type { Command } from '../cli/run-command';
import { ApproveError, decide, pendingApprovals } from './approve';

export const APPROVE_USAGE = `Answer a promotion that waits for a person's approval: its canary starts, or the promotion ends.
Only a promotion that is asking now can be answered.

usage: npm run approve -- --env <environment> --image <ami-id> [--reject --reason "<why>"] [--by <name>] [--region <region>] [--config FILE]
       npm run approve -- --env <environment> --list [--region <region>] [--config FILE]

  --region  where the environment runs (default: its pinned region, else AWS_REGION or your profile's)
  ${CONFIG_FLAG_HELP}

${exitStatusHelp({ ok: 'answered (or listed)', failed: 'refused: nothing waits for that answer' })}`;

const options = {
  env: { type: 'string' },
  image: { type: 'string' },
  reject: { type: 'boolean' },
  reason: { type: 'string' },
  by: { type: 'string' },
  list: { type: 'boolean' },
  region: { type: 'string' },
  config: { type: 'string' },
} as const;

export const approveCommand: Command<typeof options> = {
  script: 'approve',
  usage: APPROVE_USAGE,
  options,
  failures: [NoPendingApproval, ApproveError],
  async run({ values }, io) {
    const { configured, environments } = selectEnvironments(values, { all: false, env: io.env });
    const [env = ''] = environments;
    if (!values.list) {
      if (!isAmiId(values.image))
        throw new UsageError(
          `--image ${AMI_ID_RULE} (the one the notification names), got ${JSON.stringify(values.image ?? null)}`,
        );
      if (values.reject && !values.reason?.trim())
        throw new UsageError(
          '--reject needs --reason "<why>": the promotion ends with it, and the notification says it',
        );
      if (!values.reject && values.reason !== undefined)
        throw new UsageError('--reason goes with --reject only');
    }
    const region = regionOf(configured, env, values.region);
    const clients = {
      sfn: new SFNClient({ region }),
      db: new DynamoDBClient({ region }),
      ssm: new SSMClient({ region }),
    };
    if (values.list) {
      const pending = await pendingApprovals(clients, env);
      if (pending.length === 0) io.out(`no promotion waits for approval in ${env}`);
      for (const p of pending)
        io.out(
          `${p.imageId}  from ${p.from}, asked ${p.requestedAt}, answer by ${p.expiresAt}  (${p.execution})`,
        );
      return;
    }
    const image = values.image as string;
    const decision = values.reject ? 'reject' : 'approve';
    const r = await decide(clients, {
      environment: env,
      imageId: image,
      decision,
      by: values.by ?? userInfo().username,
      ...(values.reason ? { reason: values.reason } : {}),
    });
    io.out(
      decision === 'approve'
        ? `approved ${image} for ${env}: its canary starts now (${r.execution})`
        : `rejected ${image} for ${env}: the promotion ends and ${env} stays on its release (${r.execution})`,
    );
  },
};

// Run only as a program, not when a test imports the command.
if (require.main === module) runAsProgram(approveCommand);
