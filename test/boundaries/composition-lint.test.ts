import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The lint rules that keep handlers composition roots (eslint.config.mjs), each shown failing on
 * code that breaks it, at the path it guards: linted from text with the project's configuration of
 * those rules (test/boundaries/lint-probe.mjs), nothing written to disk.
 */
const RULES = ['no-restricted-properties', 'no-restricted-syntax'];

const FAILING: ReadonlyArray<readonly [path: string, code: string, message: string]> = [
  [
    'lambda/handlers/probe.ts',
    "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const ec2 = new EC2Client({});\n",
    'No SDK client is built as a module loads',
  ],
  [
    'lambda/handlers/probe.ts',
    "import { EC2Client } from '@aws-sdk/client-ec2';\nconst deps = { ec2: new Set([new EC2Client({})]) };\nexport const x = deps;\n",
    'No SDK client is built as a module loads',
  ],
  [
    'lambda/canary/probe.ts',
    "import { EC2Client } from '@aws-sdk/client-ec2';\nexport function f() {\n  return new EC2Client({});\n}\n",
    'Domain code and adapters take the clients they are given',
  ],
  ['lambda/canary/probe.ts', 'export const at = () => new Date();\n', 'injected clock'],
  ['lambda/handlers/probe.ts', 'export const at = () => Date.now();\n', 'injected clock'],
  ['lambda/planning/probe.ts', 'export const table = () => process.env.TABLE_NAME;\n', 'process.env'],
];

const PASSING: ReadonlyArray<readonly [path: string, code: string]> = [
  // a handler that builds its clients only in its deployed composition
  [
    'lambda/handlers/probe.ts',
    [
      "import { EC2Client } from '@aws-sdk/client-ec2';",
      "import { deployedHandler } from '../runtime/composition';",
      'export const handler = deployedHandler(',
      '  { configure: () => ({}), create: () => () => Promise.resolve(1) },',
      '  () => ({ ec2: new EC2Client({}) }),',
      ');',
      '',
    ].join('\n'),
  ],
  // the composition itself reads the variables and the clock
  [
    'lambda/runtime/composition.ts',
    'export const clock = () => new Date();\nexport const env = () => process.env;\n',
  ],
];

/** Each case's errors, from one run of the probe (loading ESLint's configuration takes seconds). */
let results: string[][];
beforeAll(() => {
  const cases = [...FAILING, ...PASSING].map(([path, code]) => ({ path, code }));
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-probe.mjs')], {
    input: JSON.stringify({ rules: RULES, cases }),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the lint probe failed: ${run.stderr}`);
  results = JSON.parse(run.stdout) as string[][];
});

describe('composition roots', () => {
  it.each(FAILING.map(([path, code, message], i) => [path, code, message, i] as const))(
    'fails on %s: %j',
    (_path, _code, message, i) => {
      expect(results[i]?.join('\n')).toContain(message);
    },
  );

  it.each(PASSING.map(([path, code], i) => [path, code, FAILING.length + i] as const))(
    'accepts %s: %j',
    (_path, _code, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
