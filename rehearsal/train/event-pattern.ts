import { SimulatorUnsupportedError } from '../simulator';

/**
 * EventBridge's event pattern matching, for the patterns a rehearsal meets: exact values,
 * `prefix`, `suffix`, `wildcard`, `anything-but` (values or a prefix), `exists`, and nested
 * fields; an event's array matches when any element does. Any other operator is refused, so a
 * rule the rehearsal cannot judge never silently matches or misses. (No maintained npm package
 * implements the matcher; EventBridge's own TestEventPattern needs an account.)
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern))
    throw new SimulatorUnsupportedError(`an event pattern must be an object, got ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = isObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return matchesAny(expected, actual, field);
    if (isObject(expected)) return isObject(actual) && matchesPattern(expected, actual);
    throw new SimulatorUnsupportedError(
      `event pattern field "${field}" must be an array of values or a nested object, got ${JSON.stringify(expected)}`,
    );
  });
}

/** A field's list of acceptable values and operators: any one matching is enough. */
function matchesAny(expected: readonly unknown[], actual: unknown, field: string): boolean {
  // An `exists: false` matches an absent field; every other value needs one present.
  const values = Array.isArray(actual) ? actual : actual === undefined ? [] : [actual];
  return expected.some((e) => {
    if (isObject(e)) {
      if ('exists' in e) return (actual !== undefined) === Boolean(e.exists);
      // Refused even when the field is absent: a pattern the rehearsal cannot judge is never judged.
      const name = Object.keys(e)[0] ?? '';
      if (!OPERATORS.has(name))
        throw new SimulatorUnsupportedError(
          `event pattern field "${field}" uses ${JSON.stringify(e)}, which the rehearsal does not match`,
        );
      return values.some((v) => operator(e, v, field));
    }
    return values.some((v) => v === e);
  });
}

const OPERATORS = new Set(['prefix', 'suffix', 'wildcard', 'anything-but']);

function operator(op: Record<string, unknown>, value: unknown, field: string): boolean {
  const [name, arg] = Object.entries(op)[0] ?? [];
  const text = typeof value === 'string' ? value : undefined;
  switch (name) {
    case 'prefix':
      return text !== undefined && text.startsWith(String(arg));
    case 'suffix':
      return text !== undefined && text.endsWith(String(arg));
    case 'wildcard':
      return text !== undefined && wildcard(String(arg)).test(text);
    case 'anything-but': {
      if (isObject(arg) && 'prefix' in arg) return text !== undefined && !text.startsWith(String(arg.prefix));
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.includes(value);
    }
    default:
      throw new SimulatorUnsupportedError(
        `event pattern field "${field}" uses ${JSON.stringify(op)}, which the rehearsal does not match`,
      );
  }
}

/** `*` matches any run of characters; `\*` a literal star. */
function wildcard(pattern: string): RegExp {
  const parts = pattern
    .split(/(?<!\\)\*/)
    .map((p) => p.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
