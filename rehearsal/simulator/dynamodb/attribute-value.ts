import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SimulatorUnsupportedError } from '../errors';

export type AttributeMap = Record<string, AttributeValue>;
type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

const TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

/** The one type key of an attribute value, or undefined when it is not a valid value. */
export function typeOf(value: AttributeValue | undefined): AttributeType | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const keys = Object.keys(value).filter(
    (k) => (value as unknown as Record<string, unknown>)[k] !== undefined && k !== '$unknown',
  );
  if (keys.length !== 1) return undefined;
  const key = keys[0] as AttributeType;
  return TYPES.includes(key) ? key : undefined;
}

function raw(value: AttributeValue): unknown {
  return (value as unknown as Record<string, unknown>)[typeOf(value) as string];
}

/**
 * Numbers compare by value. DynamoDB keeps 38 digits; plain integers are compared exactly here,
 * other numbers as doubles.
 */
function compareNumbers(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Ordering for `<`, `<=`, `>` and `>=`: defined for two values of the same scalar type (S and B
 * by their bytes, N by value); undefined otherwise, which makes the comparison false.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators
 */
export function compare(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  const type = typeOf(a);
  if (!type || type !== typeOf(b)) return undefined;
  const x = raw(a as AttributeValue);
  const y = raw(b as AttributeValue);
  if (type === 'N') return compareNumbers(x as string, y as string);
  if (type === 'S') return Buffer.compare(Buffer.from(x as string, 'utf8'), Buffer.from(y as string, 'utf8'));
  if (type === 'B') return Buffer.compare(Buffer.from(x as Uint8Array), Buffer.from(y as Uint8Array));
  return undefined;
}

/**
 * Equality for `=` and `<>`: values of different types differ; scalars compare by value. Comparing
 * two sets, lists or maps is not simulated (nothing here stores one).
 */
export function equals(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  const type = typeOf(a);
  if (!type || type !== typeOf(b)) return false;
  const x = raw(a as AttributeValue);
  const y = raw(b as AttributeValue);
  switch (type) {
    case 'S':
    case 'BOOL':
    case 'NULL':
      return x === y;
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'B':
      return Buffer.from(x as Uint8Array).equals(Buffer.from(y as Uint8Array));
    default:
      throw new SimulatorUnsupportedError(`Comparing two ${type} values in an expression is not simulated`);
  }
}

/** Why a value is not a valid attribute value, or undefined when it is. */
export function invalidReason(value: AttributeValue | undefined, path: string): string | undefined {
  const type = typeOf(value);
  if (!type)
    return `Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (at ${path})`;
  const x = raw(value as AttributeValue);
  if (type === 'N' && !/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(x as string))
    return `The parameter cannot be converted to a numeric value: ${String(x)} (at ${path})`;
  if ((type === 'SS' || type === 'NS' || type === 'BS') && (x as unknown[]).length === 0)
    return `One or more parameter values were invalid: An string set  may not be empty (at ${path})`;
  const children: Array<[string, AttributeValue]> =
    type === 'M'
      ? Object.entries(x as AttributeMap).map(([k, v]) => [`${path}.${k}`, v])
      : type === 'L'
        ? (x as AttributeValue[]).map((v, i) => [`${path}[${i}]`, v])
        : [];
  for (const [at, child] of children) {
    const reason = invalidReason(child, at);
    if (reason) return reason;
  }
  return undefined;
}

/** A plain JS view of an item: S → string, N → number, M → object, L → array, sets → arrays. */
export function unmarshall(item: AttributeMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = toJs(v);
  return out;
}

function toJs(value: AttributeValue): unknown {
  const type = typeOf(value);
  const x = raw(value);
  switch (type) {
    case 'N':
      return Number(x);
    case 'NS':
      return (x as string[]).map(Number);
    case 'M':
      return unmarshall(x as AttributeMap);
    case 'L':
      return (x as AttributeValue[]).map(toJs);
    case 'NULL':
      return null;
    default:
      return x;
  }
}
