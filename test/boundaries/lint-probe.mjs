// Lints code given on stdin as if it lived at a path of the project, with the project's own
// configuration of the rules named: what test/boundaries/composition-lint.test.ts probes. Runs
// outside jest because ESLint loads its configuration with a dynamic import.
//   echo '{"rules":["no-restricted-syntax"],"cases":[{"path":"lambda/x.ts","code":"…"}]}' | node lint-probe.mjs
// prints the error messages of each case, in order.
import { ESLint, Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { rules, cases } = JSON.parse(input);
const eslint = new ESLint({ cwd: root });
const linter = new Linter({ configType: 'flat' });
const results = [];
for (const { path, code } of cases) {
  const config = await eslint.calculateConfigForFile(join(root, path));
  const chosen = Object.fromEntries(rules.map((r) => [r, config.rules?.[r] ?? 'off']));
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, rules: chosen }],
    join(root, path),
  );
  results.push(messages.filter((m) => m.severity === 2).map((m) => m.message));
}
process.stdout.write(JSON.stringify(results));
