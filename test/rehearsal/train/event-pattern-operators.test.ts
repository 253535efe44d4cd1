import { InvalidEventPatternError, matchesPattern } from '../../../rehearsal/train/event-pattern';
import { SimulatorUnsupportedError } from '../../../rehearsal/simulator';

/** EventBridge's guide to comparison operators: every example of its summary table. */
const OPERATORS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html';
const NULLS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html';
const ARRAYS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html';
/** Ruler, EventBridge's matching library: what its README says of exists and nested operators. */
const RULER = 'https://github.com/aws/event-ruler/blob/main/README.md';

type Case = readonly [string, string, object, object, boolean];

describe("EventBridge's documented examples", () => {
  const cases: Case[] = [
    [
      'And',
      OPERATORS,
      { Location: ['New York'], Day: ['Monday'] },
      { Location: 'New York', Day: 'Monday' },
      true,
    ],
    [
      'And, one field off',
      OPERATORS,
      { Location: ['New York'], Day: ['Monday'] },
      { Location: 'New York', Day: 'Sunday' },
      false,
    ],
    ['Anything-but', OPERATORS, { state: [{ 'anything-but': 'initializing' }] }, { state: 'running' }, true],
    [
      'Anything-but, the excluded value',
      OPERATORS,
      { state: [{ 'anything-but': 'initializing' }] },
      { state: 'initializing' },
      false,
    ],
    [
      'Anything-but (begins with)',
      OPERATORS,
      { Region: [{ 'anything-but': { prefix: 'us-' } }] },
      { Region: 'eu-west-1' },
      true,
    ],
    [
      'Anything-but (begins with), a US region',
      OPERATORS,
      { Region: [{ 'anything-but': { prefix: 'us-' } }] },
      { Region: 'us-east-1' },
      false,
    ],
    [
      'Anything-but (ends with)',
      OPERATORS,
      { FileName: [{ 'anything-but': { suffix: '.png' } }] },
      { FileName: 'a.jpg' },
      true,
    ],
    [
      'Anything-but (ends with), a .png',
      OPERATORS,
      { FileName: [{ 'anything-but': { suffix: '.png' } }] },
      { FileName: 'a.png' },
      false,
    ],
    [
      'Anything-but (ignore case)',
      OPERATORS,
      { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      { state: 'running' },
      true,
    ],
    [
      'Anything-but (ignore case), another casing',
      OPERATORS,
      { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      { state: 'INITIALIZING' },
      false,
    ],
    [
      'Anything-but using a wildcard',
      OPERATORS,
      { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      { FilePath: '/usr/bin/tool' },
      true,
    ],
    [
      'Anything-but using a wildcard, a /lib/ path',
      OPERATORS,
      { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      { FilePath: '/usr/lib/x.so' },
      false,
    ],
    ['Begins with', OPERATORS, { Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' }, true],
    ['Begins with, elsewhere', OPERATORS, { Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' }, false],
    [
      'Begins with (prefix of a time)',
      OPERATORS,
      { time: [{ prefix: '2017-10-02' }] },
      { time: '2017-10-02T18:43:48Z' },
      true,
    ],
    [
      'Begins with (ignore case)',
      OPERATORS,
      { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
      { service: 'EventBridge' },
      true,
    ],
    [
      'Begins with (ignore case), another service',
      OPERATORS,
      { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
      { service: 'Lambda' },
      false,
    ],
    ['Empty', OPERATORS, { LastName: [''] }, { LastName: '' }, true],
    ['Empty, a name', OPERATORS, { LastName: [''] }, { LastName: 'Doe' }, false],
    ['Equals', OPERATORS, { Name: ['Alice'] }, { Name: 'Alice' }, true],
    ['Equals is case-sensitive', OPERATORS, { Name: ['Alice'] }, { Name: 'alice' }, false],
    [
      'Equals (ignore case)',
      OPERATORS,
      { Name: [{ 'equals-ignore-case': 'alice' }] },
      { Name: 'ALICE' },
      true,
    ],
    [
      'Equals (ignore case), a longer name',
      OPERATORS,
      { Name: [{ 'equals-ignore-case': 'alice' }] },
      { Name: 'Alice B' },
      false,
    ],
    ['Ends with', OPERATORS, { FileName: [{ suffix: '.png' }] }, { FileName: 'a.png' }, true],
    [
      'Ends with (ignore case)',
      OPERATORS,
      { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
      { service: 'EVENTBRIDGE' },
      true,
    ],
    [
      'Ends with (ignore case), another ending',
      OPERATORS,
      { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
      { service: 'EventBus' },
      false,
    ],
    ['Exists', OPERATORS, { ProductName: [{ exists: true }] }, { ProductName: 'x' }, true],
    ['Exists, absent', OPERATORS, { ProductName: [{ exists: true }] }, { Other: 'x' }, false],
    ['Does not exist', OPERATORS, { ProductName: [{ exists: false }] }, { Other: 'x' }, true],
    ['Does not exist, present', OPERATORS, { ProductName: [{ exists: false }] }, { ProductName: 'x' }, false],
    ['Not', OPERATORS, { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Sunny' }, true],
    ['Null', NULLS, { UserID: [null] }, { UserID: null }, true],
    ['Null does not match an absent field', NULLS, { UserID: [null] }, { Other: 'x' }, false],
    ['Null is not the empty string', NULLS, { UserID: [null] }, { UserID: '' }, false],
    ['Numeric (equals)', OPERATORS, { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, true],
    ['Numeric (range)', OPERATORS, { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
    [
      'Numeric (range), its open bottom',
      OPERATORS,
      { Price: [{ numeric: ['>', 10, '<=', 20] }] },
      { Price: 10 },
      false,
    ],
    [
      'Numeric (range), a string',
      OPERATORS,
      { Price: [{ numeric: ['>', 10, '<=', 20] }] },
      { Price: '15' },
      false,
    ],
    ['Or', OPERATORS, { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, true],
    ['Wildcard', OPERATORS, { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/a.png' }, true],
    [
      'Wildcard, another folder',
      OPERATORS,
      { FileName: [{ wildcard: 'dir/*.png' }] },
      { FileName: 'other/a.png' },
      false,
    ],
    ['An array matches when one element does', ARRAYS, { type: ['A', 'B'] }, { type: ['C', 'A'] }, true],
    [
      'An array matches when one element does, none',
      ARRAYS,
      { type: ['A', 'B'] },
      { type: ['C', 'D'] },
      false,
    ],
    [
      'exists: false holds for a field holding an object',
      RULER,
      { detail: { 'c-count': [{ exists: false }] } },
      { detail: { 'c-count': { c1: 100 } } },
      true,
    ],
    [
      'Arrays of objects are looked through',
      RULER,
      { employees: { firstName: ['Anna'] } },
      { employees: [{ firstName: 'John' }, { firstName: 'Anna' }] },
      true,
    ],
  ];

  it.each(cases)('%s (%s)', (_, _source, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it(`refuses $or rather than judge it (${OPERATORS})`, () => {
    expect(() =>
      matchesPattern({ $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Day: 'Monday' }),
    ).toThrow(SimulatorUnsupportedError);
  });
});

describe('operators nested in anything-but, prefix and suffix', () => {
  const event = { detail: { file: 'Report.PDF', state: 'Stopped', path: '/opt/bin/app.jar' } };
  it.each([
    ['anything-but a suffix list', { file: [{ 'anything-but': { suffix: ['.doc', '.PDF'] } }] }, false],
    [
      'anything-but a suffix list, none ending so',
      { file: [{ 'anything-but': { suffix: ['.doc', '.txt'] } }] },
      true,
    ],
    ['anything-but a prefix list', { file: [{ 'anything-but': { prefix: ['Rep', 'Inv'] } }] }, false],
    [
      'anything-but equals-ignore-case',
      { state: [{ 'anything-but': { 'equals-ignore-case': 'stopped' } }] },
      false,
    ],
    [
      'anything-but equals-ignore-case, a list',
      { state: [{ 'anything-but': { 'equals-ignore-case': ['Running', 'OVERLOADED'] } }] },
      true,
    ],
    ['anything-but a wildcard', { path: [{ 'anything-but': { wildcard: '*/bin/*.jar' } }] }, false],
    [
      'anything-but a wildcard list',
      { path: [{ 'anything-but': { wildcard: ['*/lib/*', '*.class'] } }] },
      true,
    ],
    ['prefix equals-ignore-case', { file: [{ prefix: { 'equals-ignore-case': 'report' } }] }, true],
    [
      'prefix equals-ignore-case, another start',
      { file: [{ prefix: { 'equals-ignore-case': 'port' } }] },
      false,
    ],
    ['suffix equals-ignore-case', { file: [{ suffix: { 'equals-ignore-case': '.pdf' } }] }, true],
    ['suffix is case-sensitive without it', { file: [{ suffix: '.pdf' }] }, false],
  ])('%s', (_, detail, expected) => {
    expect(matchesPattern({ detail }, event)).toBe(expected);
  });

  it('never matches a string operator against a number, a boolean or null', () => {
    for (const value of [5, true, null])
      for (const op of [{ prefix: '' }, { suffix: '' }, { wildcard: '*' }, { 'equals-ignore-case': 'true' }])
        expect(matchesPattern({ v: [op] }, { v: value })).toBe(false);
  });
});

describe('exists, on leaf values only', () => {
  it.each([
    ['exists: false under a missing parent', { detail: { x: [{ exists: false }] } }, {}, true],
    [
      'exists: false two levels under a missing parent',
      { detail: { a: { b: [{ exists: false }] } } },
      { detail: {} },
      true,
    ],
    ['exists: true under a missing parent', { detail: { x: [{ exists: true }] } }, {}, false],
    ['exists: true on an object', { detail: [{ exists: true }] }, { detail: { x: 1 } }, false],
    ['exists: false on an object', { detail: [{ exists: false }] }, { detail: { x: 1 } }, true],
    ['exists: true on null, a leaf value', { x: [{ exists: true }] }, { x: null }, true],
    ['exists: true on an array of values', { x: [{ exists: true }] }, { x: ['a'] }, true],
    [
      'exists: false under a parent that is a string',
      { detail: { x: [{ exists: false }] } },
      { detail: 'text' },
      true,
    ],
  ])('%s', (_, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('patterns EventBridge refuses', () => {
  it.each([
    [
      'an empty value list',
      { source: [] },
      'event pattern field "source" is an empty array: Empty arrays are not allowed',
    ],
    [
      'an empty nested value list',
      { detail: { state: [] } },
      'event pattern field "detail.state" is an empty array',
    ],
    [
      'an empty object',
      { detail: {} },
      'event pattern field "detail" is an empty object: Empty objects are not allowed',
    ],
    ['an empty pattern', {}, 'event pattern is an empty object'],
    ['a scalar field', { source: 'x' }, 'must be an object or an array'],
    [
      'an array in a value list',
      { source: [['x']] },
      'Match value must be String, number, true, false, or null',
    ],
    [
      'an operator with two keys',
      { x: [{ prefix: 'a', suffix: 'b' }] },
      'Only one key allowed in match expression',
    ],
    ['an unknown operator', { x: [{ contains: 'a' }] }, 'Unrecognized match type contains'],
    ['a prefix that is not a string', { x: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    [
      'prefix with another nested operator',
      { x: [{ prefix: { wildcard: 'a*' } }] },
      'Unsupported prefix pattern: wildcard',
    ],
    [
      'anything-but with an unknown nested operator',
      { x: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'Unsupported anything-but pattern: numeric',
    ],
    ['an empty anything-but list', { x: [{ 'anything-but': [] }] }, 'mixed type is not supported'],
    [
      'an anything-but list of mixed types',
      { x: [{ 'anything-but': ['a', 1] }] },
      'mixed type is not supported',
    ],
    [
      'anything-but null',
      { x: [{ 'anything-but': null }] },
      'must be an array or single string/number value',
    ],
    [
      'anything-but an empty prefix',
      { x: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    [
      'anything-but a suffix that is not a string',
      { x: [{ 'anything-but': { suffix: [1] } }] },
      'suffix match pattern must be a string',
    ],
    ['two stars in a row', { x: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 1'],
    ['a backslash before a letter', { x: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 1'],
    ['a trailing backslash', { x: [{ wildcard: 'a\\' }] }, 'Invalid escape character at pos 1'],
    [
      'a bad wildcard inside anything-but',
      { x: [{ 'anything-but': { wildcard: '**' } }] },
      'Consecutive wildcard characters',
    ],
    [
      'exists that is not a boolean',
      { x: [{ exists: 'yes' }] },
      'exists match pattern must be either true or false.',
    ],
    ['numeric that is not an array', { x: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
    [
      'an unknown numeric operator',
      { x: [{ numeric: ['!=', 5] }] },
      'Unrecognized numeric range operator: !=',
    ],
    ['a numeric bound that is a string', { x: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
    [
      'a numeric range from an upper bound',
      { x: [{ numeric: ['<', 5, '>', 1] }] },
      'Too many elements in numeric expression',
    ],
  ])('fails when the pattern has %s', (_, pattern, message) => {
    expect(() => matchesPattern(pattern, { x: 'a', source: 'x' })).toThrow(InvalidEventPatternError);
    expect(() => matchesPattern(pattern, { x: 'a', source: 'x' })).toThrow(message);
  });

  it('refuses a bad pattern whatever the event, before judging it', () => {
    const pattern = { source: ['x'], detail: { y: [] } };
    expect(() => matchesPattern(pattern, { source: 'not x' })).toThrow('Empty arrays are not allowed');
  });
});

describe('what the rehearsal refuses to judge, by name', () => {
  it.each([
    [
      'anything-but on several values',
      { x: [{ 'anything-but': 'a' }] },
      { x: ['a', 'b'] },
      'the field holds 2 values',
    ],
    ['anything-but of strings on a number', { x: [{ 'anything-but': 'a' }] }, { x: 5 }, 'not a string'],
    ['anything-but of numbers on a string', { x: [{ 'anything-but': [1, 2] }] }, { x: '1' }, 'not a number'],
    [
      'anything-but prefix on null',
      { x: [{ 'anything-but': { prefix: 'a' } }] },
      { x: null },
      'not a string',
    ],
    [
      'an empty anything-but prefix list',
      { x: [{ 'anything-but': { prefix: [] } }] },
      { x: 'a' },
      'no empty anything-but list',
    ],
    ['exists on an empty array', { x: [{ exists: false }] }, { x: [] }, 'empty array'],
    ['an IPv4 address as a value', { ip: ['10.0.0.1'] }, { ip: '10.0.0.1' }, 'as an address range'],
    ['an IPv6 address as a value', { ip: ['2001:db8::1'] }, { ip: '2001:db8::1' }, 'as an address range'],
    [
      'two fields inside the objects of one array',
      { e: { first: ['Anna'], last: ['Jones'] } },
      { e: [{ first: 'Anna' }, { last: 'Jones' }] },
      'several fields inside the objects of one array',
    ],
    [
      'equals-ignore-case beyond ASCII',
      { x: [{ 'equals-ignore-case': 'straße' }] },
      { x: 'STRASSE' },
      'beyond ASCII',
    ],
    [
      'a numeric range with its bounds crossed',
      { x: [{ numeric: ['>', 5, '<', 1] }] },
      { x: 3 },
      'bottom is not below its top',
    ],
    ['Ruler\'s "exactly"', { x: [{ exactly: 'a' }] }, { x: 'a' }, 'does not judge exactly'],
  ])('refuses %s', (_, pattern, event, message) => {
    expect(() => matchesPattern(pattern, event)).toThrow(SimulatorUnsupportedError);
    expect(() => matchesPattern(pattern, event)).toThrow(message);
  });

  it('judges anything-but on a one-element array as on its value', () => {
    expect(matchesPattern({ x: [{ 'anything-but': 'a' }] }, { x: ['b'] })).toBe(true);
    expect(matchesPattern({ x: [{ 'anything-but': 'a' }] }, { x: ['a'] })).toBe(false);
  });

  it('judges anything-but on an absent field as no match', () => {
    expect(matchesPattern({ x: [{ 'anything-but': 'a' }] }, { y: 'b' })).toBe(false);
  });
});

describe('wildcards', () => {
  it.each([
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\\\b', 'a\\b', true],
    ['*', '', true],
    ['a*', 'a\nb', true],
    ['*.png', 'x.png.bak', false],
    ['a.c', 'abc', false],
  ])('%s on %j: %s', (wildcard, value, expected) => {
    expect(matchesPattern({ x: [{ wildcard }] }, { x: value })).toBe(expected);
  });
});
