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
import { factoryTemplate } from '../../support/templates';

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

const EXPECTED: Record<ComponentDocumentName, { phases: string[]; parameters: string[] }> = {
  hardening: { phases: ['build', 'validate'], parameters: [] },
  'app-install': {
    phases: ['build', 'validate'],
    parameters: ['AppName', 'AppVersion', 'ArtifactUri', 'ServiceName', 'Port', 'HealthPath'],
  },
  'cloudwatch-agent': { phases: ['build', 'validate', 'test'], parameters: ['AppName'] },
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

  it('cloudwatch-agent installs the agent and rsyslog from the AL2023 repository, and enables both at boot', () => {
    const build = scriptsOf('cloudwatch-agent', 'build');
    expect(build).toContain('dnf -y install amazon-cloudwatch-agent rsyslog logrotate');
    expect(build).toContain('systemctl enable rsyslog.service amazon-cloudwatch-agent.service');
    // Enabled, not started on the build instance, and not configured: each environment configures it.
    expect(build).not.toMatch(/systemctl (re)?start|amazon-cloudwatch-agent-ctl/);
    expect(build).not.toMatch(/amazon-cloudwatch-agent\.json|amazon-cloudwatch-agent\.d|log_group_name/);
  });

  it('cloudwatch-agent names no environment: one image serves them all', () => {
    const all = scripts(documentOf('cloudwatch-agent')).join('\n');
    expect(all).not.toMatch(/\/immutable\/(dev|staging|prod)\b|CWAgent/);
    // Its validate phase refuses an image that carries an agent configuration.
    const validate = scriptsOf('cloudwatch-agent', 'validate');
    expect(validate).toContain('"${etc}/amazon-cloudwatch-agent.json"');
    expect(validate).toContain('"${etc}/amazon-cloudwatch-agent.d"');
  });

  it("cloudwatch-agent routes the application's syslog identifier to the file the fleet ships", () => {
    expect(scriptsOf('cloudwatch-agent', 'build')).toContain(
      `if \\$programname == '\${app}' then {\n  action(type="omfile" file="/var/log/\${app}/\${app}.log"`,
    );
    expect(scripts(documentOf('app-install')).join('\n')).toMatch(/^SyslogIdentifier=\$\{app\}$/m);
  });

  it('cloudwatch-agent tests on a fresh instance, without an environment, that the agent runs once given a configuration', () => {
    const doc = documentOf('cloudwatch-agent');
    const test = doc.phases.find((p) => p.name === 'test')!.steps;
    expect(test.map((s) => s.name)).toEqual([
      'AgentInstalled',
      'EnabledAtBootWithoutConfiguration',
      'ApplicationLogRouted',
      'AgentRunsWithAConfigurationGivenAtBoot',
    ]);
    const all = scriptsOf('cloudwatch-agent', 'test');
    expect(all).toContain('rpm -q amazon-cloudwatch-agent rsyslog logrotate');
    expect(all).toContain('systemctl is-enabled');
    // Without a configuration the unit exits at boot; it must not have failed.
    expect(all).toContain('systemctl is-failed --quiet amazon-cloudwatch-agent.service');
    expect(all).toMatch(/logger -t "\$\{app\}"/);
    // As each environment's user data does, with a probe configuration of its own.
    expect(all).toContain('"${ctl}" -a fetch-config -m ec2 -s -c "file:${probe}"');
    expect(all).toContain('"status": "running"');
    expect(all).toContain('"configstatus": "configured"');
    // The probe's configuration is valid JSON, and leaves nothing behind.
    const probe = /<<'JSON'\n([\s\S]*?)\nJSON\n/.exec(all)?.[1];
    expect(() => JSON.parse(probe ?? '')).not.toThrow();
    expect(all).toContain('-a stop');
  });

  it('verify tests the service, the health path, SSH and IMDSv2 in the test phase', () => {
    const names = steps(documentOf('verify')).map((s) => s.name);
    expect(names).toEqual(['ServiceEnabledAndRunning', 'HealthPathAnswers', 'SshIsOff', 'Imdsv2Works']);
  });
});

describe('components in the template', () => {
  let dev: Template;
  beforeAll(() => {
    dev = factoryTemplate();
  });

  it.each(COMPONENT_DOCUMENTS)('%s is created from its YAML file under a content-addressed name', (name) => {
    dev.hasResourceProperties('AWS::ImageBuilder::Component', {
      Name: Match.stringLikeRegexp(`^immutable-web-${name}_[0-9a-f]{10}$`),
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
          // The application only: each environment configures the agent at boot.
          Parameters: [{ Name: 'AppName', Value: ['web'] }],
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
