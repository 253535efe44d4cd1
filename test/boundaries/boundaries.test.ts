import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Each boundary rule of .dependency-cruiser.cjs, shown failing on a fixture that breaks it and
 * nothing else (test/boundaries/fixtures/ mirrors the project's top-level folders). The real tree
 * passing the same rules is what `npm run lint` checks.
 */
const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

interface Violation {
  readonly from: string;
  /** The import as written. */
  readonly unresolvedTo: string;
  readonly rule: { readonly name: string };
}

let violations: Violation[];
beforeAll(() => {
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
      'lib',
      'lambda',
      'rehearsal',
      'tools',
    ],
    { cwd: FIXTURES, encoding: 'utf8' },
  );
  if (!run.stdout) throw new Error(`dependency-cruiser did not run: ${run.stderr}`);
  violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
});

const brokenBy = (rule: string) =>
  violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} imports ${v.unresolvedTo}`);

describe('the boundary rules', () => {
  it.each([
    ['deployed-code-stays-deployed', 'lib/imports-rehearsal.ts imports ../rehearsal/runner'],
    ['deployed-code-uses-runtime-dependencies', 'lib/imports-dev-dependency.ts imports fast-check'],
    ['functions-do-not-load-cdk', 'lambda/canary/imports-cdk.ts imports ../../lib/stack'],
    ['cdk-uses-only-the-contract', 'lib/imports-domain.ts imports ../lambda/canary/judge'],
    ['contract-stands-alone', 'lambda/shared/imports-domain.ts imports ../canary/judge'],
    ['domain-behind-ports', 'lambda/canary/imports-sdk.ts imports @aws-sdk/client-ec2'],
  ])('%s fails on its fixture', (rule, violation) => {
    expect(brokenBy(rule)).toEqual([violation]);
  });

  it('no-import-cycles fails on a cycle, reported once', () => {
    expect(brokenBy('no-import-cycles')).toEqual(['tools/first.ts imports ./second']);
  });

  it('flags nothing else in the fixtures', () => {
    expect(violations).toHaveLength(7);
  });
});
