import fc from 'fast-check';
import { ConfigError, validateEnvironment, validateImageFactory } from '../../lib/config';
import { cronProblems } from '../../lib/config/cron';
import { propertyRuns } from '../support/properties';
import { configOf, factoryConfig } from '../support/synth';

const IMAGE_BUILDER = 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html';
const EVENTBRIDGE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html';

/** The first problem's message and the part it echoes, or undefined when the expression is taken. */
const firstProblem = (expression: string) => {
  const [p] = cronProblems(expression);
  return p && `${p.message}, got ${p.got}`;
};

describe('cron expressions both services document', () => {
  it.each([
    // EventBridge's examples
    ['cron(0 10 * * ? *)', EVENTBRIDGE],
    ['cron(15 12 * * ? *)', EVENTBRIDGE],
    ['cron(0 18 ? * MON-FRI *)', EVENTBRIDGE],
    ['cron(0 8 1 * ? *)', EVENTBRIDGE],
    ['cron(0/15 * * * ? *)', EVENTBRIDGE],
    ['cron(0/10 * ? * MON-FRI *)', EVENTBRIDGE],
    ['cron(0/5 8-17 ? * MON-FRI *)', EVENTBRIDGE],
    ['cron(0 9 ? * 2#1 *)', EVENTBRIDGE],
    ['cron(0 9 ? * 3#2 *)', EVENTBRIDGE],
    // Image Builder's wildcards, names in lower case as its guide writes them
    ['cron(0 0 */2 * ? *)', IMAGE_BUILDER],
    ['cron(0 0 ? jan,feb,mar fri#2 *)', IMAGE_BUILDER],
    ['cron(0 0 3W * ? *)', IMAGE_BUILDER],
    ['cron(0 0 L * ? *)', IMAGE_BUILDER],
    ['cron(0 0 ? * L *)', IMAGE_BUILDER],
    ['cron(0 0 1-15 * ? 2026-2030)', IMAGE_BUILDER],
    ['cron(59 23 31 12 ? 2199)', IMAGE_BUILDER],
    // The shipped configuration's
    ['cron(0 3 ? * MON-FRI *)', 'lib/config/environments.ts'],
    ['cron(0 5 ? * MON *)', 'lib/config/environments.ts'],
  ])('takes %s (%s)', (expression) => {
    expect(cronProblems(expression)).toEqual([]);
  });
});

describe('cron expressions refused, naming the field and the rule', () => {
  it.each([
    [
      'fails when the expression is not wrapped in cron(...)',
      '0 4 ? * TUE *',
      'must be a cron(...) expression',
    ],
    ['fails when a field is missing', 'cron(0 4 ? * TUE)', 'must be a six-field cron(...) expression'],
    ['fails when fields are two spaces apart', 'cron(0  4 ? * TUE *)', 'must be a six-field'],
    ['fails when the fields have a leading space', 'cron( 0 4 ? * TUE *)', 'must be a six-field'],
    ['fails when a minute is out of range', 'cron(99 4 ? * TUE *)', 'field 1 (minutes) must be 0-59, got 99'],
    ['fails when an hour is out of range', 'cron(0 24 ? * TUE *)', 'field 2 (hours) must be 0-23, got 24'],
    ['fails when a day of the month is 0', 'cron(0 4 0 * ? *)', 'field 3 (day-of-month) must be 1-31, got 0'],
    ['fails when a month is 13', 'cron(0 4 1 13 ? *)', 'field 4 (month) must be 1-12 or JAN-DEC, got 13'],
    ['fails when a month name is unknown', 'cron(0 4 1 JANUARY ? *)', 'must be 1-12 or JAN-DEC, got JANUARY'],
    [
      'fails when a day of the week is 0',
      'cron(0 4 ? * 0 *)',
      'field 5 (day-of-week) must be 1-7 or SUN-SAT, got 0',
    ],
    [
      'fails when a day name is unknown',
      'cron(0 4 ? * FOO *)',
      'field 5 (day-of-week) must be 1-7 or SUN-SAT, got FOO',
    ],
    [
      'fails when a year is before 1970',
      'cron(0 4 ? * TUE 1969)',
      'field 6 (year) must be 1970-2199, got 1969',
    ],
    [
      'fails when a year is after 2199',
      'cron(0 4 ? * TUE 2200)',
      'field 6 (year) must be 1970-2199, got 2200',
    ],
    ['fails when a value is negative', 'cron(-1 4 ? * TUE *)', 'field 1 (minutes) must be 0-59, got '],
    [
      'fails when a range runs high to low',
      'cron(0 17-8 ? * TUE *)',
      'field 2 (hours) takes a range from low to high',
    ],
    ['fails when a range has three ends', 'cron(0 1-2-3 ? * TUE *)', 'takes a range as <low>-<high>'],
    [
      'fails when a range end is out of range',
      'cron(0 4 ? * MON-8 *)',
      'field 5 (day-of-week) must be 1-7 or SUN-SAT, got 8',
    ],
    [
      'fails when a list has an empty element',
      'cron(0,,30 4 ? * TUE *)',
      'field 1 (minutes) has an empty list element',
    ],
    ['fails when * is inside a list', 'cron(*,5 4 ? * TUE *)', 'field 1 (minutes) takes * alone or before /'],
    [
      'fails when a step is 0',
      'cron(0/0 4 ? * TUE *)',
      'field 1 (minutes) must have a step of 1-59 after /, got 0',
    ],
    [
      'fails when a step reaches past the field',
      'cron(0/60 4 ? * TUE *)',
      'must have a step of 1-59 after /, got 60',
    ],
    ['fails when a step starts from a range', 'cron(0 8-17/2 ? * TUE *)', 'not from a range'],
    [
      'fails when a step starts out of range',
      'cron(60/5 4 ? * TUE *)',
      'field 1 (minutes) must be 0-59, got 60',
    ],
    [
      'fails when the day of the week takes an increment',
      'cron(0 4 ? * 1/2 *)',
      'field 5 (day-of-week) takes only the wildcards , - * ? L #, not /',
    ],
    [
      'fails when ? is in the minutes',
      'cron(? 4 ? * TUE *)',
      'field 1 (minutes) takes only the wildcards , - * /, not ?',
    ],
    [
      'fails when L is in the hours',
      'cron(0 L ? * TUE *)',
      'field 2 (hours) takes only the wildcards , - * /, not L',
    ],
    ['fails when L is in a list', 'cron(0 4 1,L * ? *)', 'field 3 (day-of-month) takes L alone'],
    [
      'fails when W follows a day past 31',
      'cron(0 4 32W * ? *)',
      'field 3 (day-of-month) takes W after one day 1-31',
    ],
    [
      'fails when W is in the day of the week',
      'cron(0 4 ? * 3W *)',
      'field 5 (day-of-week) takes only the wildcards , - * ? L #, not W',
    ],
    [
      'fails when # is in the day of the month',
      'cron(0 4 3#2 * ? *)',
      'field 3 (day-of-month) takes only the wildcards , - * ? / L W, not #',
    ],
    [
      'fails when # names a sixth week',
      'cron(0 4 ? * FRI#6 *)',
      'field 5 (day-of-week) must have 1-5 after #',
    ],
    [
      'fails when # follows no day',
      'cron(0 4 ? * 9#2 *)',
      'field 5 (day-of-week) must be 1-7 or SUN-SAT before #, got 9',
    ],
    ['fails when # expressions are listed', 'cron(0 4 ? * 3#1,6#3 *)', 'takes one <day>#<n> expression only'],
    [
      'fails when both day fields are ?',
      'cron(0 4 ? * ? *)',
      'must have ? in exactly one of field 3 (day-of-month) and field 5 (day-of-week)',
    ],
    ['fails when neither day field is ?', 'cron(0 4 * * MON *)', 'must have ? in exactly one of field 3'],
    ['fails when both day fields are set', 'cron(0 4 1 * MON *)', 'must have ? in exactly one of field 3'],
    [
      'fails when L is lower case (the guides write it upper case)',
      'cron(0 4 l * ? *)',
      'field 3 (day-of-month) must be 1-31, got l',
    ],
    [
      'fails on LW, which neither guide documents',
      'cron(0 4 LW * ? *)',
      'field 3 (day-of-month) takes L alone',
    ],
  ])('%s: %s', (_, expression, message) => {
    expect(firstProblem(expression)).toContain(message);
  });

  it('names every field that is wrong, not only the first', () => {
    expect(cronProblems('cron(99 99 ? * FOO *)').map((p) => p.message)).toEqual([
      'field 1 (minutes) must be 0-59',
      'field 2 (hours) must be 0-23',
      'field 5 (day-of-week) must be 1-7 or SUN-SAT',
    ]);
  });
});

describe('cron in the configuration', () => {
  it('fails when the image factory schedule has a minute out of range, echoing the field', () => {
    const f = factoryConfig() as unknown as { schedule: { cron: string } };
    f.schedule.cron = 'cron(99 3 ? * MON-FRI *)';
    expect(() => validateImageFactory(f)).toThrow(
      new ConfigError('imageFactory.schedule.cron field 1 (minutes) must be 0-59, got "99"'),
    );
  });

  it('fails when the phoenix schedule names no weekday, echoing the field', () => {
    const c = configOf('prod') as unknown as { rollout: { phoenixSchedule: { cron: string } } };
    c.rollout.phoenixSchedule.cron = 'cron(0 5 ? * FOO *)';
    expect(() => validateEnvironment(c)).toThrow(
      /^prod\.rollout\.phoenixSchedule\.cron field 5 \(day-of-week\) must be 1-7 or SUN-SAT, got "FOO"$/,
    );
  });
});

/**
 * An independent reading of the guides' table, field by field: what the validator takes must
 * parse here, and what is built from the table must be taken.
 */
const TABLE = [
  { min: 0, max: 59, names: [] as string[], extra: [] as RegExp[] },
  { min: 0, max: 23, names: [], extra: [] },
  { min: 1, max: 31, names: [], extra: [/^\?$/, /^L$/, /^(\d+)W$/] },
  {
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    extra: [],
  },
  { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], extra: [/^\?$/, /^L$/] },
  { min: 1970, max: 2199, names: [], extra: [] },
];
const STEPS = [true, true, true, true, false, true];

function parsesByTheTable(expression: string): boolean {
  const fields = /^cron\((.*)\)$/.exec(expression)?.[1]?.split(' ');
  if (fields?.length !== 6) return false;
  const value = (i: number, t: string) => {
    const f = TABLE[i]!;
    const n = /^\d+$/.test(t) ? Number(t) : f.min + f.names.indexOf(t.toUpperCase());
    return n >= f.min && n <= f.max && (/^\d+$/.test(t) || f.names.includes(t.toUpperCase())) ? n : NaN;
  };
  const item = (i: number, t: string): boolean => {
    if (t === '*') return true;
    const step = /^(\*|[^/]+)\/(\d+)$/.exec(t);
    if (step)
      return STEPS[i]! && (step[1] === '*' || !Number.isNaN(value(i, step[1]!))) && Number(step[2]) >= 1;
    const range = /^([^-]+)-([^-]+)$/.exec(t);
    if (range) return value(i, range[1]!) <= value(i, range[2]!);
    return !Number.isNaN(value(i, t));
  };
  const field = (i: number, t: string): boolean => {
    const extra = TABLE[i]!.extra.find((r) => r.test(t));
    if (extra) return !/W$/.test(t) || Number(t.slice(0, -1)) <= 31;
    if (i === 4 && t.includes('#')) {
      const [day, nth] = t.split('#');
      return !Number.isNaN(value(4, day!)) && Number(nth) >= 1 && Number(nth) <= 5;
    }
    return t.split(',').every((x) => item(i, x));
  };
  return fields.every((t, i) => field(i, t)) && (fields[2] === '?') !== (fields[4] === '?');
}

describe('the validator and the table agree', () => {
  const number = (i: number) => fc.integer({ min: TABLE[i]!.min, max: TABLE[i]!.max }).map(String);
  const token = (i: number) =>
    fc.oneof(
      number(i),
      fc.integer({ min: -5, max: 2300 }).map(String),
      // Each bound and one past it.
      fc.constantFrom(TABLE[i]!.min - 1, TABLE[i]!.min, TABLE[i]!.max, TABLE[i]!.max + 1).map(String),
      fc.constantFrom(
        '*',
        '?',
        'L',
        'W',
        '#',
        '/',
        '-',
        ',',
        'MON',
        'fri',
        'JAN',
        'dec',
        'FOO',
        '15W',
        'L-2',
      ),
      fc.tuple(number(i), number(i)).map(([a, b]) => `${a}-${b}`),
      fc
        .tuple(fc.constantFrom('*', String(TABLE[i]!.min)), fc.integer({ min: 0, max: 70 }))
        .map(([a, s]) => `${a}/${s}`),
      fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 6 })).map(([d, n]) => `${d}#${n}`),
      fc.array(number(i), { minLength: 2, maxLength: 3 }).map((xs) => xs.join(',')),
    );
  // One field drawn at a time into an otherwise valid expression, so every field's edges are met
  // in expressions that could pass; and all six drawn at once.
  const oneField = fc
    .tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom(['0', '4', '?', '*', 'MON', '*'], ['0', '4', '1', '*', '?', '*']),
    )
    .chain(([i, base]) => token(i).map((t) => base.map((f, j) => (j === i ? t : f))));
  const allFields = fc.tuple(token(0), token(1), token(2), token(3), token(4), token(5));
  const expression = fc.oneof(oneField, allFields).map((fields) => `cron(${fields.join(' ')})`);

  it('everything the validator takes parses field by field by the documented table', () => {
    fc.assert(
      fc.property(expression, (e) => {
        if (cronProblems(e).length === 0) expect(parsesByTheTable(e)).toBe(true);
      }),
      propertyRuns(2000),
    );
  });

  it('takes what is built from the documented table', () => {
    const valid = fc
      .tuple(
        number(0),
        number(1),
        number(2),
        number(3),
        fc.constantFrom('MON-FRI', 'L', '2#1', 'sun'),
        number(5),
      )
      .chain(([mi, h, dom, mo, dow, y]) =>
        fc.constantFrom(`cron(${mi} ${h} ${dom} ${mo} ? ${y})`, `cron(${mi} ${h} ? ${mo} ${dow} ${y})`),
      );
    fc.assert(
      fc.property(valid, (e) => {
        expect(parsesByTheTable(e)).toBe(true);
        expect(cronProblems(e)).toEqual([]);
      }),
      propertyRuns(),
    );
  });
});
