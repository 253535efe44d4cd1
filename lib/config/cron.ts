/**
 * The cron expressions the configuration takes: the image factory's schedule (an EC2 Image
 * Builder pipeline schedule) and each environment's phoenix schedule (an EventBridge Scheduler
 * schedule). Both services document the same six fields, values and wildcards; each rule below
 * holds for both, and where one service's guide is stricter (Image Builder: `#` takes 1-5;
 * EventBridge: one `#` expression only) the stricter reading applies, so an expression that
 * passes synth is one both services take. Anything either guide does not document (`LW`, `L-3`,
 * `5L`, a step over a range) is refused rather than guessed at.
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 */

/** What is wrong with an expression, and the part of it that is wrong. */
export interface CronProblem {
  /** The rule, after the field's path: `field 1 (minutes) must be 0-59`. */
  readonly message: string;
  /** The part of the expression that breaks the rule. */
  readonly got: string;
}

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names that stand for values, in value order from `min` (case-insensitive). */
  readonly names?: readonly string[];
  /** The wildcards the field takes, as the guides' tables list them. */
  readonly wildcards: string;
}

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59, wildcards: ', - * /' },
  { name: 'hours', min: 0, max: 23, wildcards: ', - * /' },
  { name: 'day-of-month', min: 1, max: 31, wildcards: ', - * ? / L W' },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    wildcards: ', - * /',
  },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
    wildcards: ', - * ? L #',
  },
  { name: 'year', min: 1970, max: 2199, wildcards: ', - * /' },
];

const DAY_OF_MONTH = 2;
const DAY_OF_WEEK = 4;
/** `<day>#<n>`: the nth such day of the month; Image Builder takes n from 1 to 5. */
const NTH_MAX = 5;
const EXAMPLE = 'cron(0 4 ? * TUE *)';

/** Every rule `expression` breaks; none when both services take it. */
export function cronProblems(expression: string): CronProblem[] {
  const inner = /^cron\((.*)\)$/s.exec(expression)?.[1];
  if (inner === undefined)
    return [{ message: `must be a cron(...) expression, like ${EXAMPLE}`, got: expression }];
  const fields = inner.split(' ');
  // "Each one is separated from the others by a space in between, with no leading or trailing spaces."
  if (fields.length !== FIELDS.length || fields.some((f) => f === '' || /\s/.test(f)))
    return [
      {
        message:
          'must be a six-field cron(...) expression: minutes hours day-of-month month day-of-week year, ' +
          `one space apart, like ${EXAMPLE}`,
        got: expression,
      },
    ];
  const problems = fields.flatMap((text, i) => fieldProblems(text, i));
  const dayOfMonth = fields[DAY_OF_MONTH];
  const dayOfWeek = fields[DAY_OF_WEEK];
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
  // specify a value or a * (asterisk) in one of the fields, you must use a ? (question mark) in the other."
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    problems.push({
      message:
        'must have ? in exactly one of field 3 (day-of-month) and field 5 (day-of-week): ' +
        'the one the schedule does not use, like cron(0 4 ? * TUE *) or cron(0 4 1 * ? *)',
      got: `${dayOfMonth} ${fields[3]} ${dayOfWeek}`,
    });
  return problems;
}

function fieldProblems(text: string, index: number): CronProblem[] {
  const field = FIELDS[index] as Field;
  const label = `field ${index + 1} (${field.name})`;
  const problem = (rule: string, got = text): CronProblem[] => [{ message: `${label} ${rule}`, got }];
  const takes = (wildcard: string) => field.wildcards.split(' ').includes(wildcard);
  const refuseWildcard = (wildcard: string) =>
    problem(`takes only the wildcards ${field.wildcards}, not ${wildcard}`);

  if (text === '?') return takes('?') ? [] : refuseWildcard('?');
  if (text === 'L') return takes('L') ? [] : refuseWildcard('L');
  if (text.includes('#')) {
    if (!takes('#')) return refuseWildcard('#');
    const [day = '', nth = '', ...rest] = text.split('#');
    if (rest.length > 0 || text.includes(','))
      return problem('takes one <day>#<n> expression only, like FRI#2 (a list such as 3#1,6#3 is two)');
    if (valueOf(day, field) === undefined) return problem(`${rangeRule(field)} before #`, day);
    const n = integer(nth);
    if (n === undefined || n < 1 || n > NTH_MAX)
      return problem(`must have 1-${NTH_MAX} after # (the nth such day of the month)`, nth);
    return [];
  }
  if (/^\d+W$/.test(text)) {
    if (!takes('W')) return refuseWildcard('W');
    const day = text.slice(0, -1);
    const n = integer(day);
    if (n === undefined || n < field.min || n > field.max)
      return problem('takes W after one day 1-31 only, like 15W (the weekday nearest the 15th)');
    return [];
  }
  const items = text.split(',');
  if (items.length > 1 && !takes(',')) return refuseWildcard(',');
  if (items.length > 1 && items.includes('*')) return problem('takes * alone or before /, like * or */15');
  return items.flatMap((item) => itemProblems(item, field, problem, refuseWildcard));
}

/** One element of a list: `*`, a value, a range `a-b`, or an increment `start/step`. */
function itemProblems(
  item: string,
  field: Field,
  problem: (rule: string, got?: string) => CronProblem[],
  refuseWildcard: (wildcard: string) => CronProblem[],
): CronProblem[] {
  if (item === '') return problem('has an empty list element (a stray comma)');
  /** A value that is not one: a wildcard that only stands alone, or a number or name out of range. */
  const notAValue = (token: string): CronProblem[] => {
    const alone = ['?', 'L', 'W', '#'].find((w) => token.includes(w));
    if (alone === undefined) return problem(rangeRule(field), token);
    if (!field.wildcards.split(' ').includes(alone)) return refuseWildcard(alone);
    return problem(`takes ${alone} alone, not in a list, range or increment`, item);
  };
  if (item.includes('/')) {
    if (!field.wildcards.includes('/')) return refuseWildcard('/');
    const [start = '', step = '', ...rest] = item.split('/');
    if (rest.length > 0) return problem('takes one / per increment, like 0/15', item);
    if (start.includes('-'))
      return problem('takes an increment from a start value or *, like 0/15 or */15, not from a range', item);
    if (start !== '*' && valueOf(start, field) === undefined) return notAValue(start);
    const span = field.max - field.min + 1;
    const n = integer(step);
    if (n === undefined || n < 1 || n >= span)
      return problem(`must have a step of 1-${span - 1} after /`, step);
    return [];
  }
  if (item === '*') return [];
  if (item.includes('*')) return problem('takes * alone or before /, like * or */15', item);
  if (item.includes('-')) {
    const [low = '', high = '', ...rest] = item.split('-');
    if (rest.length > 0) return problem('takes a range as <low>-<high>, like 1-5', item);
    const from = valueOf(low, field);
    const to = valueOf(high, field);
    if (from === undefined) return notAValue(low);
    if (to === undefined) return notAValue(high);
    if (from > to) return problem('takes a range from low to high, like 1-5', item);
    return [];
  }
  return valueOf(item, field) === undefined ? notAValue(item) : [];
}

function rangeRule(field: Field): string {
  const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : '';
  return `must be ${field.min}-${field.max}${names}`;
}

/** A field value, from its digits or its name; undefined when the field has no such value. */
function valueOf(text: string, field: Field): number | undefined {
  const n = integer(text);
  if (n !== undefined) return n >= field.min && n <= field.max ? n : undefined;
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return named >= 0 ? field.min + named : undefined;
}

function integer(text: string): number | undefined {
  return /^\d{1,4}$/.test(text) ? Number(text) : undefined;
}
