import { isIPv6 } from 'node:net';
import { SimulatorUnsupportedError } from '../simulator';

/**
 * EventBridge's event pattern matching, as the rehearsal's buses deliver events: every pattern
 * is checked whole before it judges any event, and each part is either judged as EventBridge
 * judges it or refused by name, never approximated.
 * - A pattern EventBridge itself refuses (PutRule answers InvalidEventPatternException) throws
 *   InvalidEventPatternError: empty arrays or objects, a field that is neither an array nor an
 *   object, an unknown or malformed operator, a wildcard with `**` or a stray backslash.
 * - A part whose behaviour the guides leave open throws SimulatorUnsupportedError: `$or`,
 *   `cidr`, an IP address given as a value, `anything-but` on an array of several values or on a
 *   value of another type than its own, `exists` on an empty array, and several fields matched
 *   inside the objects of one array.
 * Matching, as documented: fields are ANDed, a field's values ORed; an event array matches when
 * one of its elements does, and arrays of objects are looked through to the fields inside them;
 * `exists` looks at leaf values only, so `exists: false` holds for a missing field, a field under
 * a missing parent and a field that holds an object; string operators never match non-strings.
 * (No maintained npm package implements the matcher; TestEventPattern needs an account.)
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * @see https://github.com/aws/event-ruler (EventBridge's matching library: the rules it refuses)
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compiled(pattern).matches([event]);
}

/** A pattern EventBridge refuses; the message says where and why, in EventBridge's words. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

/** What a field's tests see: the leaf values the event holds there (arrays flattened). */
interface Leaves {
  readonly values: readonly unknown[];
  /** An empty array stood where a value could be: `exists` is not documented for it. */
  readonly emptyArray: boolean;
}

type Test = (leaves: Leaves) => boolean;

interface ObjectNode {
  readonly kind: 'object';
  readonly fields: ReadonlyArray<readonly [string, Node]>;
  /** Leaf fields below, to tell when one array's objects would have to agree. */
  readonly leafFields: number;
  matches(values: readonly unknown[]): boolean;
}
interface LeafNode {
  readonly kind: 'leaf';
  readonly tests: readonly Test[];
}
type Node = ObjectNode | LeafNode;

const cache = new WeakMap<object, ObjectNode>();

function compiled(pattern: unknown): ObjectNode {
  if (!isObject(pattern))
    throw new InvalidEventPatternError(`an event pattern must be an object, got ${JSON.stringify(pattern)}`);
  let node = cache.get(pattern);
  if (!node) {
    node = compileObject(pattern, []);
    cache.set(pattern, node);
  }
  return node;
}

function compileObject(pattern: Record<string, unknown>, path: readonly string[]): ObjectNode {
  const entries = Object.entries(pattern);
  if (entries.length === 0) invalid(path, 'is an empty object: Empty objects are not allowed');
  const fields = entries.map(([name, value]): readonly [string, Node] => {
    const at = [...path, name];
    if (name === '$or') unsupported(at, value, 'the rehearsal does not judge $or');
    if (Array.isArray(value)) return [name, { kind: 'leaf', tests: compileValues(value, at) }];
    if (isObject(value)) return [name, compileObject(value, at)];
    return invalid(at, `must be an object or an array, got ${JSON.stringify(value)}`);
  });
  const leafFields = fields.reduce((n, [, f]) => n + (f.kind === 'leaf' ? 1 : f.leafFields), 0);
  const node: ObjectNode = {
    kind: 'object',
    fields,
    leafFields,
    matches: (values) =>
      fields.every(([name, field]) => {
        const below = values.flatMap((v) => (isObject(v) ? flatten(v[name]) : []));
        if (field.kind === 'leaf') {
          const leaves = {
            values: below.filter((v) => !isObject(v)),
            emptyArray: values.some((v) => isObject(v) && hasEmptyArray(v[name])),
          };
          return field.tests.some((test) => test(leaves));
        }
        const objects = below.filter(isObject);
        // Two fields met in different objects of one array: EventBridge documents no answer.
        if (objects.length > 1 && field.leafFields > 1)
          unsupported(
            [...path, name],
            `${objects.length} objects`,
            'matches several fields inside the objects of one array',
          );
        return field.matches(objects);
      }),
  };
  return node;
}

function compileValues(values: readonly unknown[], path: readonly string[]): Test[] {
  if (values.length === 0) invalid(path, 'is an empty array: Empty arrays are not allowed');
  return values.map((value) => {
    if (isObject(value)) return compileOperator(value, path);
    if (Array.isArray(value))
      invalid(path, 'holds an array: Match value must be String, number, true, false, or null');
    if (typeof value === 'string') {
      if (isIpAddress(value))
        unsupported(path, value, 'EventBridge matches an IP address value as an address range');
      return ({ values: leaves }) => leaves.includes(value);
    }
    if (typeof value === 'number' || typeof value === 'boolean' || value === null)
      return ({ values: leaves }) => leaves.includes(value);
    return invalid(path, `holds ${typeof value}: Match value must be String, number, true, false, or null`);
  });
}

/** `{ "<operator>": <argument> }`, with exactly one key. */
function compileOperator(op: Record<string, unknown>, path: readonly string[]): Test {
  const entries = Object.entries(op);
  if (entries.length !== 1)
    invalid(path, `uses ${JSON.stringify(op)}: Only one key allowed in match expression`);
  const [name, arg] = entries[0] as [string, unknown];
  const strings =
    (test: (s: string) => boolean): Test =>
    ({ values }) =>
      values.some((v) => typeof v === 'string' && test(v));
  switch (name) {
    case 'prefix':
    case 'suffix': {
      if (isObject(arg)) {
        const [inner, text] = single(arg, path, name);
        if (inner !== 'equals-ignore-case')
          invalid(path, `uses ${JSON.stringify(op)}: Unsupported ${name} pattern: ${inner}`);
        const regex = ignoreCase(
          stringArg(text, path, 'equals-ignore-case'),
          path,
          name === 'prefix' ? 'prefix' : 'suffix',
        );
        return strings((s) => regex.test(s));
      }
      const text = stringArg(arg, path, name);
      return strings((s) => (name === 'prefix' ? s.startsWith(text) : s.endsWith(text)));
    }
    case 'equals-ignore-case': {
      const regex = ignoreCase(stringArg(arg, path, name), path, 'whole');
      return strings((s) => regex.test(s));
    }
    case 'wildcard': {
      const regex = wildcard(stringArg(arg, path, name), path);
      return strings((s) => regex.test(s));
    }
    case 'anything-but':
      return anythingBut(arg, path);
    case 'numeric':
      return numeric(arg, path);
    case 'exists': {
      if (typeof arg !== 'boolean')
        invalid(path, 'uses exists: exists match pattern must be either true or false.');
      return ({ values, emptyArray }) => {
        if (values.length === 0 && emptyArray)
          unsupported(path, op, 'the field holds an empty array, for which exists is not documented');
        return values.length > 0 === arg;
      };
    }
    // `exactly` is Ruler's own exact match, which EventBridge's guide does not list.
    case 'cidr':
    case 'exactly':
      return unsupported(path, op, `the rehearsal does not judge ${name}`);
    default:
      return invalid(path, `uses ${JSON.stringify(op)}: Unrecognized match type ${name}`);
  }
}

/**
 * `anything-but`: one string or number, a list of strings or of numbers, or one of prefix,
 * suffix, equals-ignore-case and wildcard with a string or a list of strings. A field absent
 * from the event never matches it.
 */
function anythingBut(arg: unknown, path: readonly string[]): Test {
  const op = { 'anything-but': arg };
  let excluded: (v: unknown) => boolean;
  let type: 'string' | 'number';
  if (isObject(arg)) {
    const [inner, value] = single(arg, path, 'anything-but');
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(inner))
      invalid(path, `uses ${JSON.stringify(op)}: Unsupported anything-but pattern: ${inner}`);
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) unsupported(path, op, 'EventBridge documents no empty anything-but list');
    const texts = list.map((v) => {
      if (typeof v !== 'string')
        invalid(path, `uses ${JSON.stringify(op)}: ${inner} match pattern must be a string`);
      if ((inner === 'prefix' || inner === 'suffix') && v === '')
        invalid(path, `uses ${JSON.stringify(op)}: Null prefix/suffix not allowed`);
      return v;
    });
    type = 'string';
    switch (inner) {
      case 'prefix':
        excluded = (v) => texts.some((t) => (v as string).startsWith(t));
        break;
      case 'suffix':
        excluded = (v) => texts.some((t) => (v as string).endsWith(t));
        break;
      case 'equals-ignore-case': {
        const regexes = texts.map((t) => ignoreCase(t, path, 'whole'));
        excluded = (v) => regexes.some((r) => r.test(v as string));
        break;
      }
      case 'wildcard': {
        const regexes = texts.map((t) => wildcard(t, path));
        excluded = (v) => regexes.some((r) => r.test(v as string));
        break;
      }
      default:
        return invalid(path, `uses ${JSON.stringify(op)}: Unsupported anything-but pattern: ${inner}`);
    }
  } else {
    if (!Array.isArray(arg) && typeof arg !== 'string' && typeof arg !== 'number')
      invalid(
        path,
        `uses ${JSON.stringify(op)}: Value of anything-but must be an array or single string/number value.`,
      );
    const list: readonly unknown[] = Array.isArray(arg) ? arg : [arg];
    const allStrings = list.every((v) => typeof v === 'string');
    const allNumbers = list.every((v) => typeof v === 'number');
    if (list.length === 0 || !(allStrings || allNumbers))
      invalid(
        path,
        `uses ${JSON.stringify(op)}: Inside anything but list, either all values are number or string, mixed type is not supported`,
      );
    type = allStrings ? 'string' : 'number';
    excluded = (v) => list.some((x) => x === v);
  }
  return ({ values }) => {
    if (values.length > 1)
      unsupported(
        path,
        op,
        `the field holds ${values.length} values, for which EventBridge documents no anything-but rule`,
      );
    const [value] = values;
    if (value === undefined) return false;
    if (typeof value !== type)
      unsupported(
        path,
        op,
        `the field holds ${JSON.stringify(value)}, not a ${type}, for which anything-but is not documented`,
      );
    return !excluded(value);
  };
}

/** `numeric`: `=` a number, or `>`/`>=` a number and optionally `<`/`<=` one, or `<`/`<=` a number. */
function numeric(arg: unknown, path: readonly string[]): Test {
  const op = { numeric: arg };
  const bad = (reason: string): never => invalid(path, `uses ${JSON.stringify(op)}: ${reason}`);
  if (!Array.isArray(arg)) bad('Value of numeric must be an array.');
  const terms = arg as unknown[];
  const pairs: Array<readonly [string, number]> = [];
  for (let i = 0; i < terms.length; i += 2) {
    const [operator, value] = [terms[i], terms[i + 1]];
    if (typeof operator !== 'string' || !['=', '<', '<=', '>', '>='].includes(operator))
      bad(`Unrecognized numeric range operator: ${String(operator)}`);
    if (typeof value !== 'number') bad(`Value of ${String(operator)} must be numeric`);
    pairs.push([operator as string, value as number]);
  }
  const [first, second, ...more] = pairs;
  if (!first) bad('Invalid member in numeric match');
  const lower = first?.[0] === '>' || first?.[0] === '>=';
  if (more.length > 0 || (second && (!lower || !['<', '<='].includes(second[0]))))
    bad('Too many elements in numeric expression');
  if (first && second && first[1] >= second[1])
    unsupported(path, op, 'a range whose bottom is not below its top is not documented');
  const holds = ([operator, bound]: readonly [string, number], n: number) =>
    operator === '='
      ? n === bound
      : operator === '<'
        ? n < bound
        : operator === '<='
          ? n <= bound
          : operator === '>'
            ? n > bound
            : n >= bound;
  return ({ values }) => values.some((v) => typeof v === 'number' && pairs.every((pair) => holds(pair, v)));
}

/**
 * `*` matches any run of characters, `\*` a star and `\\` a backslash; EventBridge refuses two
 * stars in a row and a backslash before anything else.
 */
function wildcard(pattern: string, path: readonly string[]): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*')
        invalid(
          path,
          `uses wildcard ${JSON.stringify(pattern)}: Consecutive wildcard characters at pos ${i}`,
        );
      source += '[\\s\\S]*';
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\')
        invalid(path, `uses wildcard ${JSON.stringify(pattern)}: Invalid escape character at pos ${i}`);
      source += escapeRegex(next);
      i++;
    } else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`);
}

/**
 * Each character of the pattern matches itself in lower or upper case, as EventBridge compares
 * with equals-ignore-case. Case mappings beyond ASCII differ between Unicode versions, so a
 * pattern with other letters is refused rather than judged by this runtime's tables.
 */
function ignoreCase(text: string, path: readonly string[], anchor: 'whole' | 'prefix' | 'suffix'): RegExp {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(text))
    unsupported(path, { 'equals-ignore-case': text }, 'case-insensitive matching beyond ASCII is not judged');
  const source = [...text]
    .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegex(c)))
    .join('');
  return new RegExp(anchor === 'whole' ? `^${source}$` : anchor === 'prefix' ? `^${source}` : `${source}$`);
}

/** A nested operator object's one key and its argument. */
function single(arg: Record<string, unknown>, path: readonly string[], outer: string): [string, unknown] {
  const entries = Object.entries(arg);
  if (entries.length !== 1)
    invalid(path, `uses ${JSON.stringify({ [outer]: arg })}: Only one key allowed in match expression`);
  return entries[0] as [string, unknown];
}

function stringArg(arg: unknown, path: readonly string[], operator: string): string {
  if (typeof arg !== 'string')
    invalid(path, `uses ${operator} ${JSON.stringify(arg)}: ${operator} match pattern must be a string`);
  return arg;
}

/**
 * Strings EventBridge reads as IP addresses (its library's test: four dot-separated numbers, or
 * hex digits and colons), which it then matches as addresses rather than as text.
 */
function isIpAddress(value: string): boolean {
  return (
    /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(value) ||
    (/^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/.test(value) && isIPv6(value))
  );
}

/** Every value a field holds, arrays (and arrays of arrays) flattened. */
function flatten(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

function hasEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && (value.length === 0 || value.some(hasEmptyArray));
}

function invalid(path: readonly string[], reason: string): never {
  const where = path.length > 0 ? `event pattern field "${path.join('.')}"` : 'event pattern';
  throw new InvalidEventPatternError(`${where} ${reason}`);
}

function unsupported(path: readonly string[], what: unknown, why: string): never {
  throw new SimulatorUnsupportedError(
    `event pattern field "${path.join('.')}" uses ${JSON.stringify(what)}, which the rehearsal does not match: ${why}`,
  );
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
