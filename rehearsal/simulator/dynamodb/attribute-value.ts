import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type AttributeMap = Record<string, AttributeValue>;
export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

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

function bytes(value: unknown): Buffer {
  return Buffer.from(value as Uint8Array);
}

/**
 * Numbers compare by value. DynamoDB keeps 38 digits; plain integers are compared exactly here,
 * other numbers as doubles.
 */
export function compareNumbers(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addNumbers(a: string, b: string, sign: 1 | -1): string {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return (BigInt(a) + BigInt(sign) * BigInt(b)).toString();
  return String(Number(a) + sign * Number(b));
}

/**
 * Ordering for `<`, `<=`, `>`, `>=` and BETWEEN: defined for two values of the same scalar type
 * (S and B by their bytes, N by value); undefined otherwise, which makes the comparison false.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators
 */
export function compare(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  const type = typeOf(a);
  if (!type || type !== typeOf(b)) return undefined;
  const x = raw(a as AttributeValue);
  const y = raw(b as AttributeValue);
  if (type === 'N') return compareNumbers(x as string, y as string);
  if (type === 'S') return Buffer.compare(Buffer.from(x as string, 'utf8'), Buffer.from(y as string, 'utf8'));
  if (type === 'B') return Buffer.compare(bytes(x), bytes(y));
  return undefined;
}

/** Deep equality: same type and value; sets ignore order. */
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
      return bytes(x).equals(bytes(y));
    case 'SS':
    case 'NS':
    case 'BS': {
      const xs = x as unknown[];
      const ys = y as unknown[];
      const key = (v: unknown) =>
        type === 'BS' ? bytes(v).toString('base64') : type === 'NS' ? String(Number(v)) : String(v);
      const set = new Set(ys.map(key));
      return xs.length === ys.length && xs.every((v) => set.has(key(v)));
    }
    case 'L': {
      const xs = x as AttributeValue[];
      const ys = y as AttributeValue[];
      return xs.length === ys.length && xs.every((v, i) => equals(v, ys[i]));
    }
    case 'M': {
      const xm = x as AttributeMap;
      const ym = y as AttributeMap;
      const keys = Object.keys(xm);
      return keys.length === Object.keys(ym).length && keys.every((k) => k in ym && equals(xm[k], ym[k]));
    }
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
  if (type === 'M') {
    for (const [k, v] of Object.entries(x as AttributeMap)) {
      const reason = invalidReason(v, `${path}.${k}`);
      if (reason) return reason;
    }
  }
  if (type === 'L') {
    for (const [i, v] of (x as AttributeValue[]).entries()) {
      const reason = invalidReason(v, `${path}[${i}]`);
      if (reason) return reason;
    }
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

export function clone<T>(value: T): T {
  return structuredClone(value);
}
