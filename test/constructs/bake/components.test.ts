import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import {
  COMPONENT_DOCUMENTS,
  MAX_INLINE_COMPONENT_CHARS,
  componentDocumentPath,
} from '../../../lib/constructs/bake/component-documents';
import type { ComponentDocumentName } from '../../../lib/constructs/bake/component-documents';
import { productTemplate } from '../../support/templates';

/**
 * Actions AWSTOE (the Image Builder component runner) knows.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html
 */
const KNOWN_ACTIONS = new Set([
  'AppendFile',
  'Assert',
  'CopyFile',
  'CopyFolder',
  'CreateFile',
  'CreateFolder',
  'CreateSymlink',
  'DeleteFile',
  'DeleteFolder',
  'ExecuteBash',
  'ExecuteBinary',
  'ExecuteDocument',
  'ExecutePowerShell',
  'InstallMSI',
  'ListFiles',
  'MoveFile',
  'MoveFolder',
  'ReadFile',
  'Reboot',
  'SetFileEncoding',
  'SetFileOwner',
  'SetFolderOwner',
  'SetFilePermissions',
  'SetFolderPermissions',
  'SetRegistry',
  'S3Download',
  'S3Upload',
  'UninstallMSI',
  'UpdateOS',
  'WebDownload',
]);

interface Step {
  name: string;
  action: string;
  inputs: { commands?: string[] } & Record<string, unknown>;
}
interface Document {
  name: string;
  schemaVersion: unknown;
  parameters?: Record<string, { type: string; default?: string }>[];
  phases: { name: string; steps: Step[] }[];
}

const text = (name: ComponentDocumentName) => readFileSync(componentDocumentPath(name), 'utf8');
const documentOf = (name: ComponentDocumentName) => parse(text(name)) as Document;
const parameterNames = (doc: Document) => (doc.parameters ?? []).flatMap((p) => Object.keys(p));
const steps = (doc: Document) => doc.phases.flatMap((p) => p.steps);
const scripts = (doc: Document) => steps(doc).flatMap((s) => s.inputs.commands ?? []);

const scriptsOf = (name: ComponentDocumentName, phase: string) =>
  documentOf(name)
    .phases.filter((p) => p.name === phase)
    .flatMap((p) => p.steps.flatMap((s) => s.inputs.commands ?? []))
    .join('\n');

interface AgentConfiguration {
  agent: unknown;
  metrics: unknown;
  logs: {
    logs_collected: {
      files: { collect_list: { file_path: string; log_group_name: string; log_stream_name: string }[] };
    };
  };
}

/** The agent's JSON configuration as the build writes it, with the component's parameters filled in. */
function agentConfiguration(parameters: Record<string, string>): AgentConfiguration {
  const script = scriptsOf('cloudwatch-agent', 'build');
  const json = /<<'JSON'\n([\s\S]*?)\nJSON\n/.exec(script)?.[1];
  if (!json) throw new Error('no JSON heredoc in the build phase');
  const filled = json.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, p: string) => parameters[p] ?? `missing-${p}`);
  return JSON.parse(filled) as AgentConfiguration;
}

const EXPECTED: Record<ComponentDocumentName, { phases: string[]; parameters: string[] }> = {
  hardening: { phases: ['build', 'validate'], parameters: [] },
  'app-install': {
    phases: ['build', 'validate'],
    parameters: ['AppName', 'AppVersion', 'ArtifactUri', 'ServiceName', 'Port', 'HealthPath'],
  },
  'cloudwatch-agent': {
    phases: ['build', 'validate', 'test'],
    parameters: ['AppName', 'LogGroupName', 'MetricsNamespace'],
  },
  verify: { phases: ['test'], parameters: ['ServiceName', 'Port', 'HealthPath'] },
};

describe('component documents', () => {
  it.each(COMPONENT_DOCUMENTS)('%s is a schema 1.0 document with the expected phases', (name) => {
    const doc = documentOf(name);
    expect(text(name)).toMatch(/^schemaVersion: 1\.0$/m);
    expect(doc.phases.map((p) => p.name)).toEqual(EXPECTED[name].phases);
    for (const phase of doc.phases) expect(phase.steps.length).toBeGreaterThan(0);
  });

  it.each(COMPONENT_DOCUMENTS)('%s only uses actions Image Builder knows, with unique step names', (name) => {
    const all = steps(documentOf(name));
    for (const step of all) expect(KNOWN_ACTIONS).toContain(step.action);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
  });

  it.each(COMPONENT_DOCUMENTS)('%s declares string parameters and uses exactly those', (name) => {
    const doc = documentOf(name);
    expect(parameterNames(doc)).toEqual(EXPECTED[name].parameters);
    for (const p of doc.parameters ?? []) expect(Object.values(p)[0]?.type).toBe('string');
    const used = new Set(
      scripts(doc).flatMap((s) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1])),
    );
    expect([...used].sort()).toEqual([...EXPECTED[name].parameters].sort());
  });

  it.each(COMPONENT_DOCUMENTS)('%s has bash scripts that parse', (name) => {
    for (const script of scripts(documentOf(name))) {
      const filled = script.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, p: string) =>
        p === 'Port' ? '8080' : `value-of-${p}`,
      );
      const result = spawnSync('bash', ['-n'], { input: filled, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it.each(COMPONENT_DOCUMENTS)('%s fits Image Builder inline component data', (name) => {
    expect(text(name).length).toBeLessThanOrEqual(MAX_INLINE_COMPONENT_CHARS);
  });

  it('hardening updates the OS, turns SSH off and removes keys, and its validate phase checks it', () => {
    const doc = documentOf('hardening');
    const build = doc.phases.find((p) => p.name === 'build')!.steps;
    expect(build.map((s) => s.action)).toContain('Reboot');
    const all = scripts(doc).join('\n');
    expect(all).toContain('dnf -y --releasever=latest upgrade');
    expect(all).toContain('systemctl mask sshd.service');
    expect(all).toMatch(/^PasswordAuthentication no$/m);
    expect(all).toMatch(/^PermitRootLogin no$/m);
    expect(all).toContain('authorized_keys');
    const validate = doc.phases
      .find((p) => p.name === 'validate')!
      .steps.flatMap((s) => s.inputs.commands ?? []);
    expect(validate.join('\n')).toContain('systemctl is-enabled sshd.service');
    expect(validate.join('\n')).toContain('check-update');
  });

  it('app-install falls back to a built-in service when no artifact is given', () => {
    const doc = documentOf('app-install');
    const artifact = doc.parameters?.find((p) => 'ArtifactUri' in p)?.ArtifactUri;
    expect(artifact?.default).toBe('none');
    expect(scripts(doc).join('\n')).toMatch(/none\)\s+cat > "\$\{release\}\/server\.py"/);
  });

  it('cloudwatch-agent installs the agent and rsyslog from the AL2023 repository, and starts them at boot', () => {
    const build = scriptsOf('cloudwatch-agent', 'build');
    expect(build).toContain('dnf -y install amazon-cloudwatch-agent rsyslog logrotate');
    expect(build).toContain('systemctl enable rsyslog.service amazon-cloudwatch-agent.service');
    // Enabled, not started on the build instance.
    expect(build).not.toMatch(/systemctl (re)?start|amazon-cloudwatch-agent-ctl/);
    // The path the agent's unit translates at every start.
    expect(build).toContain('> /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json');
  });

  it("cloudwatch-agent's configuration ships every log to the fleet's group, and memory and disk to its namespace", () => {
    const config = agentConfiguration({
      AppName: 'web',
      LogGroupName: '/immutable/dev/fleet',
      MetricsNamespace: 'CWAgent',
    });
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

  it("cloudwatch-agent routes the application's syslog identifier to the file it ships", () => {
    expect(scriptsOf('cloudwatch-agent', 'build')).toContain(
      `if \\$programname == '\${app}' then {\n  action(type="omfile" file="/var/log/\${app}/\${app}.log"`,
    );
    expect(scripts(documentOf('app-install')).join('\n')).toMatch(/^SyslogIdentifier=\$\{app\}$/m);
  });

  it('cloudwatch-agent checks in its test phase that the agent is installed, configured and running since boot', () => {
    const doc = documentOf('cloudwatch-agent');
    const test = doc.phases.find((p) => p.name === 'test')!.steps;
    expect(test.map((s) => s.name)).toEqual([
      'AgentInstalled',
      'AgentConfiguredForThisFleet',
      'AgentRunningSinceBoot',
    ]);
    const all = scriptsOf('cloudwatch-agent', 'test');
    expect(all).toContain('rpm -q amazon-cloudwatch-agent rsyslog');
    expect(all).toContain('grep -qF \'{{ LogGroupName }}\' "${toml}"');
    expect(all).toContain('grep -qF \'{{ MetricsNamespace }}\' "${toml}"');
    expect(all).toContain('systemctl is-enabled');
    expect(all).toContain('"status": "running"');
    expect(all).toContain('"configstatus": "configured"');
  });

  it('verify tests the service, the health path, SSH and IMDSv2 in the test phase', () => {
    const names = steps(documentOf('verify')).map((s) => s.name);
    expect(names).toEqual(['ServiceEnabledAndRunning', 'HealthPathAnswers', 'SshIsOff', 'Imdsv2Works']);
  });
});

describe('components in the template', () => {
  let dev: Template;
  beforeAll(() => {
    dev = productTemplate('dev');
  });

  it.each(COMPONENT_DOCUMENTS)('%s is created from its YAML file under a content-addressed name', (name) => {
    dev.hasResourceProperties('AWS::ImageBuilder::Component', {
      Name: Match.stringLikeRegexp(`^immutable-dev-web-${name}_[0-9a-f]{10}$`),
      Platform: 'Linux',
      Version: '1.0.0',
      Data: text(name),
    });
  });

  it('puts the components in the recipe in build order, the agent and the boot test before verify, with their parameters', () => {
    const service = [
      { Name: 'ServiceName', Value: ['web.service'] },
      { Name: 'Port', Value: ['8080'] },
      { Name: 'HealthPath', Value: ['/health'] },
    ];
    dev.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      Components: [
        { ComponentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeRecipeHardening'), 'Arn'] } },
        {
          ComponentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeRecipeAppInstall'), 'Arn'] },
          Parameters: [
            { Name: 'AppName', Value: ['web'] },
            { Name: 'AppVersion', Value: ['1.0.0'] },
            { Name: 'ArtifactUri', Value: ['none'] },
            ...service,
          ],
        },
        {
          ComponentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeRecipeCloudWatchAgent'), 'Arn'] },
          Parameters: [
            { Name: 'AppName', Value: ['web'] },
            { Name: 'LogGroupName', Value: ['/immutable/dev/fleet'] },
            { Name: 'MetricsNamespace', Value: ['CWAgent'] },
          ],
        },
        {
          ComponentArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':imagebuilder:',
                { Ref: 'AWS::Region' },
                ':aws:component/reboot-test-linux/x.x.x',
              ],
            ],
          },
        },
        {
          ComponentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BakeRecipeVerify'), 'Arn'] },
          Parameters: service,
        },
      ],
    });
  });
});
