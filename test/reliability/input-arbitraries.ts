import fc from 'fast-check';
import { INPUT_FIELDS } from '../../lambda/shared/input-schema';
import { validInput } from './arbitraries';

/**
 * Execution inputs the workflow must refuse, each with the words its refusal must contain to
 * name the offending field: arbitrary JSON, and near-valid inputs with one thing wrong.
 */
export interface BadInput {
  readonly input: unknown;
  /** What the cause must say, naming the field (empty for arbitrary JSON: any field will do). */
  readonly names: string;
  readonly mutation: string;
}

type Input = Record<string, unknown>;

const aField = fc.constantFrom(...INPUT_FIELDS);
/** Short keys, so the cause echoes them whole. */
const aKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,19}$/);
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const notABoolean = fc.oneof(fc.integer(), fc.constantFrom('yes', 'true', 'false', ''), fc.constant(null));

/** A field's value of the wrong type. */
const wrongType = fc.tuple(validInput, aField).chain(([input, field]) =>
  (field === 'force' || field === 'dryRun' ? notABoolean : notAString).map((value): BadInput => ({
    input: { ...input, [field]: value },
    names: `${field} must be`,
    mutation: 'wrong type',
  })),
);

/** A field name with a typo: a letter dropped, doubled or changed in case, or snake_cased. */
const typo = fc
  .tuple(validInput, fc.nat(), fc.constantFrom('drop', 'double', 'case', 'snake'))
  .map(([input, at, how]): BadInput | undefined => {
    const keys = Object.keys(input);
    const key = keys[at % keys.length] as string;
    const i = at % key.length;
    const misspelt =
      how === 'drop'
        ? key.slice(0, i) + key.slice(i + 1)
        : how === 'double'
          ? key.slice(0, i) + (key[i] ?? '') + key.slice(i)
          : how === 'case'
            ? key.slice(0, i) + (key[i] ?? '').toUpperCase() + key.slice(i + 1)
            : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (misspelt === key || (INPUT_FIELDS as readonly string[]).includes(misspelt)) return undefined;
    const { [key]: value, ...rest } = input as Input;
    return {
      input: { ...rest, [misspelt]: value },
      names: `"${misspelt}" is not a known field`,
      mutation: 'typo',
    };
  })
  .filter((b): b is BadInput => b !== undefined);

/** AMI ids that are not: too short, upper case, 16 digits, a name, padded. */
const badAmi = fc
  .tuple(
    validInput,
    fc.oneof(
      fc.stringMatching(/^ami-[0-9a-f]{1,7}$/),
      fc.stringMatching(/^ami-[0-9A-F]{17}$/).filter((s) => /[A-F]/.test(s)),
      fc.stringMatching(/^ami-[0-9a-f]{16}$/),
      fc.stringMatching(/^[0-9a-f]{17}$/),
      fc.constantFrom(
        'ami-',
        'AMI-0123456789abcdef0',
        ' ami-0123456789abcdef0',
        'ami-0123456789abcdef0 ',
        'latest',
      ),
    ),
  )
  .map(([input, imageId]): BadInput => ({
    input: { ...input, action: 'canary', imageId },
    names: 'imageId must be an AMI id',
    mutation: 'bad AMI id',
  }));

/** A field the schema does not know. */
const extraField = fc
  .tuple(
    validInput,
    aKey.filter((k) => !(INPUT_FIELDS as readonly string[]).includes(k)),
    fc.jsonValue({ maxDepth: 1 }),
  )
  .map(([input, key, value]): BadInput => ({
    input: { ...input, [key]: value },
    names: `"${key}" is not a known field`,
    mutation: 'extra field',
  }));

/** A huge string where a short one belongs (within Step Functions' 256 KiB input). */
const hugeString = fc
  .tuple(
    validInput,
    fc.constantFrom('action', 'imageId', 'reason', 'trigger'),
    fc.integer({ min: 501, max: 200_000 }),
  )
  .map(([input, field, length]): BadInput => {
    const value = 'x'.repeat(length);
    const canary = field === 'imageId' ? { action: 'canary' } : {};
    return {
      input: { ...input, ...canary, [field]: value },
      names: `${field} must be`,
      mutation: 'huge string',
    };
  });

/** Fields that do not go together, and enum values off by a little. */
const inconsistent = fc.oneof(
  validInput
    .filter((i) => i.action !== 'phoenix')
    .map((i): BadInput => ({
      input: { ...i, force: true },
      names: 'force is only accepted',
      mutation: 'cross field',
    })),
  validInput
    .filter((i) => i.action !== 'canary')
    .map((i): BadInput => ({
      input: { ...i, imageId: 'ami-0123456789abcdef0' },
      names: 'imageId is only accepted for a canary',
      mutation: 'cross field',
    })),
  fc
    .record({ action: fc.constant('canary') })
    .map((i): BadInput => ({ input: i, names: 'imageId is required for a canary', mutation: 'cross field' })),
  fc
    .tuple(validInput, fc.constantFrom('Phoenix', 'CANARY', 'roll-back', 'deploy', ' phoenix', ''))
    .map(([i, action]): BadInput => ({
      input: { ...i, action },
      names: 'action must be',
      mutation: 'bad enum',
    })),
  fc.tuple(validInput, fc.constantFrom('cron', 'Console', 'manual', '')).map(([i, trigger]): BadInput => ({
    input: { ...i, trigger },
    names: 'trigger must be',
    mutation: 'bad enum',
  })),
  fc
    .tuple(validInput, fc.constantFrom('action', 'imageId'))
    .filter(([i, field]) => field === 'action' || i.action === 'canary')
    .map(([i, field]): BadInput => {
      const { [field]: _dropped, ...rest } = i as Input;
      return { input: rest, names: field, mutation: 'missing field' };
    }),
);

/** Anything but an object: the whole input is what is wrong. */
const notAnObject = fc
  .oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
  .map((input): BadInput => ({ input, names: 'input must be a JSON object', mutation: 'not an object' }));

/** Near-valid inputs, one thing wrong each. */
export const nearValidInput: fc.Arbitrary<BadInput> = fc.oneof(
  wrongType,
  typo,
  badAmi,
  extraField,
  hugeString,
  inconsistent,
  notAnObject,
);

/** Arbitrary JSON, including objects with many fields. */
export const arbitraryInput: fc.Arbitrary<BadInput> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(aKey, fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 20 }),
    // as many fields as an execution input of a few tens of KB holds
    fc.dictionary(aKey, fc.integer(), { minKeys: 400, maxKeys: 3000 }),
    fc.dictionary(fc.oneof(aField, aKey), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }),
  )
  .map((input): BadInput => ({ input, names: '', mutation: 'arbitrary JSON' }));
