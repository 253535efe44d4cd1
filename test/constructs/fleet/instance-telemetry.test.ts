import { spawnSync } from 'node:child_process';
import { Match } from 'aws-cdk-lib/assertions';
import {
  AGENT_CONFIGURATION_PATH,
  agentConfiguration,
  instanceTelemetryUserData,
} from '../../../lib/constructs/fleet/instance-telemetry';
import { factoryTemplate, productTemplate } from '../../support/templates';

const ENVS = ['dev', 'staging', 'prod'] as const;
const DEV = { appName: 'web', logGroupName: '/immutable/dev/fleet', metricsNamespace: 'CWAgent' };

interface Configuration {
  agent: unknown;
  metrics: unknown;
  logs: {
    logs_collected: {
      files: { collect_list: { file_path: string; log_group_name: string; log_stream_name: string }[] };
    };
  };
}

/** The launch template's user data, as each environment's template carries it. */
function userDataOf(env: (typeof ENVS)[number]): string {
  const templates = Object.values(productTemplate(env).findResources('AWS::EC2::LaunchTemplate')) as {
    Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': string } } };
  }[];
  expect(templates).toHaveLength(1);
  return templates[0]?.Properties.LaunchTemplateData.UserData['Fn::Base64'] ?? '';
}

describe("the agent's configuration", () => {
  it("ships every log to the fleet's group, one stream per instance and file, and memory and disk to its namespace", () => {
    const config = agentConfiguration(DEV) as unknown as Configuration;
    expect(config.agent).toEqual({ metrics_collection_interval: 60, run_as_user: 'root' });
    const files = config.logs.logs_collected.files.collect_list;
    expect(files.map((f) => [f.file_path, f.log_group_name, f.log_stream_name])).toEqual([
      ['/var/log/web/web.log', '/immutable/dev/fleet', '{instance_id}/app'],
      ['/var/log/messages', '/immutable/dev/fleet', '{instance_id}/messages'],
      ['/var/log/secure', '/immutable/dev/fleet', '{instance_id}/secure'],
      ['/var/log/cloud-init-output.log', '/immutable/dev/fleet', '{instance_id}/cloud-init'],
    ]);
    expect(config.metrics).toEqual({
      namespace: 'CWAgent',
      // From instance metadata: no EC2 API call, which the isolated subnets have no endpoint for.
      append_dimensions: { ImageId: '${aws:ImageId}', InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['ImageId']],
      metrics_collected: {
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'], drop_device: true },
      },
    });
    // The stack owns the group's retention; an agent setting it would need logs:PutRetentionPolicy.
    expect(JSON.stringify(config)).not.toContain('retention_in_days');
  });
});

describe('the user data', () => {
  const script = instanceTelemetryUserData(DEV).render();

  it('writes the configuration as it is, then (re)starts the agent with it', () => {
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines[1]).toBe('set -euo pipefail');
    const json = /<<'JSON'\n([\s\S]*?)\nJSON\n/.exec(script)?.[1];
    expect(JSON.parse(json ?? '')).toEqual(agentConfiguration(DEV));
    expect(lines.at(-1)).toBe(
      `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIGURATION_PATH}`,
    );
  });

  it('is a bash script that parses', () => {
    const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('in the templates', () => {
  it.each(ENVS)(
    "%s: the launch template's user data configures the agent for the environment's own log group",
    (env) => {
      const userData = userDataOf(env);
      expect(userData).toContain(`"log_group_name": "/immutable/${env}/fleet"`);
      for (const other of ENVS.filter((e) => e !== env))
        expect(userData).not.toContain(`/immutable/${other}/`);
      expect(userData).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s');
    },
  );

  it.each(ENVS)('%s: the group it ships to is the fleet log group the instance role writes', (env) => {
    productTemplate(env).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/immutable/${env}/fleet`,
    });
  });

  it("the image factory's agent component names no environment's log group", () => {
    const components = factoryTemplate().findResources('AWS::ImageBuilder::Component', {
      Properties: { Name: Match.stringLikeRegexp('cloudwatch-agent') },
    }) as Record<string, { Properties: { Data: string } }>;
    expect(Object.keys(components)).toHaveLength(1);
    for (const { Properties } of Object.values(components)) {
      for (const env of ENVS) expect(Properties.Data).not.toContain(`/immutable/${env}/fleet`);
      expect(Properties.Data).not.toContain('CWAgent');
    }
  });
});
