import fc from 'fast-check';
import { ConfigError, validateEnvironment } from '../../lib/config';
import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES } from '../support/templates';
import type { ShippedEnvironment as EnvironmentName } from '../support/templates';
import { configOf } from '../support/synth';
import { propertyRuns } from '../support/properties';

/**
 * Mutations of the real environment configurations, one thing wrong each: a config mistake
 * fails validation (what `cdk synth` runs first) with every line naming the environment and the
 * field, and one line naming the field that was broken, or its section's rule that it broke.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path in a document, objects and arrays included. */
function paths(node: Json, at: Path = []): Path[] {
  if (Array.isArray(node)) return [at, ...node.flatMap((v, i) => paths(v, [...at, i]))];
  if (node !== null && typeof node === 'object')
    return [at, ...Object.entries(node).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

function get(node: Json, path: Path): Json | undefined {
  let n: Json | undefined = node;
  for (const key of path)
    n = n === null || typeof n !== 'object' ? undefined : (n as Record<string, Json>)[key];
  return n;
}

/** A copy of `doc` with `edit` applied to the container of `path` and its last key. */
function mutate(
  doc: Json,
  path: Path,
  edit: (parent: Record<string | number, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(doc);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  edit(parent, path[path.length - 1] as string | number);
  return copy;
}

/** A value of another JSON type than `value`'s. */
const otherType = (value: Json | undefined) =>
  fc
    .constantFrom<Json>(null, true, 0, 7.5, -1, 'text', '', [], {}, [1, 'a'], { kind: 'other' })
    .filter((v) => typeof v !== typeof value || Array.isArray(v) !== Array.isArray(value));

interface BrokenConfig {
  readonly env: EnvironmentName;
  readonly config: Json;
  readonly path: Path;
  readonly mutation: string;
}

const brokenConfig: fc.Arbitrary<BrokenConfig> = fc.constantFrom(...ENVIRONMENT_NAMES).chain((env) => {
  const base = configOf(env) as unknown as Json;
  const all = paths(base).filter((p) => p.length > 0);
  return fc.constantFrom(...all).chain((path) => {
    const value = get(base, path);
    const at = (mutation: string, edit: Parameters<typeof mutate>[2]) =>
      fc.constant({ env, path, mutation, config: mutate(base, path, edit) });
    const options: Array<fc.Arbitrary<BrokenConfig>> = [
      otherType(value).map((v) => ({
        env,
        path,
        mutation: 'wrong type',
        config: mutate(base, path, (p, k) => (p[k] = v)),
      })),
      at('removed', (p, k) => {
        if (Array.isArray(p)) p.splice(Number(k), 1);
        else delete p[k];
      }),
      fc
        .constantFrom('typo', 'extra')
        .map((how) => {
          const key = String(path[path.length - 1]);
          return how === 'typo' && typeof path[path.length - 1] === 'string'
            ? `${key.slice(0, -1)}${key.slice(-1).toUpperCase()}_`
            : 'unexpectedSetting';
        })
        .map((extra) => ({
          env,
          path: [...path.slice(0, -1), extra],
          mutation: 'extra field',
          config: mutate(base, path, (p) => {
            if (!Array.isArray(p)) p[extra] = 1;
          }),
        })),
    ];
    if (typeof value === 'number')
      options.push(
        fc.constantFrom(-1, 0, 0.5, 1e12, -1e12, Number.MAX_SAFE_INTEGER, value + 0.25).map((n) => ({
          env,
          path,
          mutation: 'out of range',
          config: mutate(base, path, (p, k) => (p[k] = n)),
        })),
      );
    if (typeof value === 'string')
      options.push(
        fc
          .constantFrom('', ' ', 'x'.repeat(300), `${value} `, value.toUpperCase(), 'cron(* * *)', 'ami-0')
          .filter((s) => s !== value)
          .map((s) => ({
            env,
            path,
            mutation: 'bad string',
            config: mutate(base, path, (p, k) => (p[k] = s)),
          })),
      );
    return fc.oneof(...options);
  });
});

/** The environment's config with this field of the issue path: `prod.fleet.capacity.min`. */
const lineOf = /^(dev|staging|prod)\.([\w.-]+) (.+)$/;

describe('environment config fuzzing', () => {
  it('fails validation with every line naming the environment and a field, one the broken one', () => {
    const refused = new Set<string>();
    fc.assert(
      fc.property(brokenConfig, ({ env, config, path, mutation }) => {
        let error: unknown;
        try {
          validateEnvironment(config, env);
        } catch (e) {
          error = e;
        }
        // a mutation that happens to be valid (an optional field removed, a value still in range)
        fc.pre(error !== undefined);
        expect(error).toBeInstanceOf(ConfigError);
        refused.add(mutation);
        const lines = (error as Error).message.split('\n');
        const fields = lines.map((line) => {
          const m = lineOf.exec(line);
          expect({ mutation, line, named: m !== null }).toEqual({ mutation, line, named: true });
          const [, lineEnv = '', field = '', rule = ''] = m ?? [];
          expect(lineEnv).toBe(env);
          // the value received is echoed, unless the field is one that should not be there
          if (!rule.includes('is not a known field')) expect(rule).toMatch(/, got /);
          return field.split('.');
        });
        // the broken field, a field inside it or around it, or its section's rule that it broke
        const broken = path.map(String);
        const related = (field: string[]) =>
          broken.length === 1 || field[0] === broken[0] || broken.every((k, i) => field[i] === k);
        expect({ mutation, path: broken.join('.'), named: fields.some(related) }).toEqual({
          mutation,
          path: broken.join('.'),
          named: true,
        });
      }),
      propertyRuns(),
    );
    // The cases are the same every run, so they must have tried every kind of mutation.
    expect([...refused].sort()).toEqual([
      'bad string',
      'extra field',
      'out of range',
      'removed',
      'wrong type',
    ]);
  });
});
