import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { awsError, SimulatorUnsupportedError } from '../errors';
import { compare, equals, type AttributeMap } from './attribute-value';
import { RESERVED_WORDS } from './reserved-words';

/**
 * The DynamoDB expressions the simulator evaluates: the grammar the ledger's calls use
 * (lambda/ledger/store.ts), and no more.
 *
 *   condition      term (OR term)*
 *   term           attribute_exists(name) | attribute_not_exists(name) | operand comparator operand
 *   operand        name | :value
 *   name           #placeholder | an attribute name that is not a reserved word
 *   comparator     = | <> | < | <= | > | >=
 *   update         SET name = :value (, name = :value)*
 *   key condition  partition-key = :value
 *
 * Where DynamoDB refuses a request, this refuses it as DynamoDB does, with a ValidationException:
 * a reserved word used as a bare name, a placeholder that is not defined or is defined and not
 * used, an unknown function, a syntax error, two updates of one attribute, an update of the key.
 * What DynamoDB accepts but this grammar leaves out (AND, NOT, parentheses, BETWEEN, IN,
 * begins_with and the other functions, nested paths, arithmetic, REMOVE, ADD, DELETE) throws
 * SimulatorUnsupportedError naming it: never ignored, never approximated.
 *
 * Why not a maintained emulator instead, such as dynalite (v4.0.0, maintained again since
 * 2025): its public interface is an HTTP server over LevelDB, so every call would leave the
 * synchronous simulator for socket I/O. The stubbed `send` answers synchronously on the
 * simulated clock; that is what makes two concurrent executions interleave the same way on
 * every run (rehearsal results are compared byte for byte), where socket timing would decide
 * which of two racing lock writes lands first. It would also need a server on the loopback
 * of every test that touches the ledger, and a store and its dependencies for seven
 * expressions.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 */

const COMPARATORS = ['=', '<>', '<', '<=', '>', '>='] as const;
type Comparator = (typeof COMPARATORS)[number];

export type Operand =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'value'; readonly value: AttributeValue };

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'exists' | 'not_exists'; readonly name: string }
  | { readonly kind: 'or'; readonly terms: readonly Condition[] };

/** `SET name = :value`. */
export interface UpdateAction {
  readonly name: string;
  readonly value: AttributeValue;
}

/** DynamoDB's functions; only the first two are simulated. */
const FUNCTIONS = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
];
/** Keywords of DynamoDB's expressions that this grammar leaves out. */
const UNSIMULATED_KEYWORDS = new Set(['AND', 'NOT', 'BETWEEN', 'IN', 'REMOVE', 'ADD', 'DELETE']);

export function validation(message: string): Error {
  return awsError('dynamodb', 'ValidationException', message);
}

/** A request's expression attribute names and values, tracking which ones its expressions used. */
export class ExpressionContext {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Record<string, string> = {},
    private readonly values: Record<string, AttributeValue> = {},
  ) {}

  name(placeholder: string, expression: string): string {
    const name = this.names[placeholder];
    if (name === undefined)
      throw validation(
        `Invalid ${expression}: An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    this.usedNames.add(placeholder);
    return name;
  }

  value(placeholder: string): AttributeValue {
    const value = this.values[placeholder];
    if (value === undefined)
      throw validation(
        `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`,
      );
    this.usedValues.add(placeholder);
    return value;
  }

  /** DynamoDB refuses names and values that no expression of the request uses. */
  checkAllUsed(): void {
    const names = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    if (names.length)
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`,
      );
    const values = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (values.length)
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`,
      );
  }
}

type Token = { readonly t: 'ident' | 'name' | 'value' | 'punct' | 'end'; readonly v: string };

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly expression: string,
    private readonly ctx: ExpressionContext,
  ) {
    if (source.trim() === '') throw validation(`Invalid ${expression}: The expression can not be empty;`);
    this.tokens = this.tokenize();
  }

  condition(): Condition {
    const terms = [this.term()];
    while (this.keyword('OR')) {
      this.next();
      terms.push(this.term());
    }
    this.end();
    return terms.length === 1 ? (terms[0] as Condition) : { kind: 'or', terms };
  }

  update(keyNames: readonly string[]): UpdateAction[] {
    const clause = this.next();
    const word = clause.t === 'ident' ? clause.v.toUpperCase() : '';
    if (UNSIMULATED_KEYWORDS.has(word)) this.unsupported(`The ${word} clause`);
    if (word !== 'SET') this.syntax(clause);
    const actions: UpdateAction[] = [];
    do {
      const name = this.name();
      if (keyNames.includes(name))
        throw validation(
          `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
        );
      if (actions.some((a) => a.name === name))
        throw validation(
          `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${name}], path two: [${name}]`,
        );
      this.expect('=');
      const token = this.peek();
      if (this.isCall()) this.checkFunction(token.v, []);
      if (token.t === 'name' || token.t === 'ident') this.unsupported('Setting an attribute from another');
      if (token.t !== 'value') this.syntax(token);
      this.next();
      actions.push({ name, value: this.ctx.value(token.v) });
    } while (this.punct(',') && this.next());
    if (this.keyword('SET'))
      throw validation(
        'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
      );
    this.end();
    return actions;
  }

  private term(): Condition {
    if (this.punct('(')) this.unsupported('Parentheses');
    if (this.keyword('NOT')) this.unsupported('NOT');
    if (this.isCall()) return this.call();
    const left = this.operand();
    const op = this.next();
    if (op.t === 'ident' && UNSIMULATED_KEYWORDS.has(op.v.toUpperCase()))
      this.unsupported(op.v.toUpperCase());
    if (op.t !== 'punct' || !(COMPARATORS as readonly string[]).includes(op.v)) this.syntax(op);
    return { kind: 'compare', op: op.v as Comparator, left, right: this.operand() };
  }

  private isCall(): boolean {
    const next = this.peek(1);
    return this.peek().t === 'ident' && next.t === 'punct' && next.v === '(';
  }

  /** attribute_exists(name) or attribute_not_exists(name). */
  private call(): Condition {
    const name = this.next().v;
    this.checkFunction(name, ['attribute_exists', 'attribute_not_exists']);
    this.expect('(');
    const attribute = this.name();
    this.expect(')');
    return { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', name: attribute };
  }

  /** Refuses a function other than `allowed`: as DynamoDB does when it has no such function. */
  private checkFunction(name: string, allowed: readonly string[]): void {
    if (!FUNCTIONS.includes(name))
      throw validation(`Invalid ${this.expression}: Invalid function name; function: ${name}`);
    if (!allowed.includes(name)) this.unsupported(`The function ${name}`);
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.t !== 'value') return { kind: 'name', name: this.name() };
    this.next();
    return { kind: 'value', value: this.ctx.value(token.v) };
  }

  /** A top-level attribute name: a `#placeholder`, or a bare name that is not a reserved word. */
  private name(): string {
    const token = this.next();
    if (token.t === 'name') return this.ctx.name(token.v, this.expression);
    if (token.t !== 'ident') this.syntax(token);
    if (RESERVED_WORDS.has(token.v.toUpperCase()))
      throw validation(
        `Invalid ${this.expression}: Attribute name is a reserved keyword; reserved keyword: ${token.v}`,
      );
    return token.v;
  }

  private tokenize(): Token[] {
    const tokens: Token[] = [];
    const source = this.source;
    let i = 0;
    while (i < source.length) {
      const c = source[i] as string;
      const two = source.slice(i, i + 2);
      const word = /^([#:]?)([A-Za-z_][A-Za-z0-9_]*)/.exec(source.slice(i));
      if (/\s/.test(c)) {
        i++;
      } else if (two === '<>' || two === '<=' || two === '>=') {
        tokens.push({ t: 'punct', v: two });
        i += 2;
      } else if ('=<>(),'.includes(c)) {
        tokens.push({ t: 'punct', v: c });
        i++;
      } else if ('.[]+-'.includes(c)) {
        this.unsupported(`"${c}" (nested paths and arithmetic)`);
      } else if (word) {
        const [text, sigil] = word as unknown as [string, string];
        tokens.push({ t: sigil === '#' ? 'name' : sigil === ':' ? 'value' : 'ident', v: text });
        i += text.length;
      } else {
        this.syntax({ t: 'punct', v: c });
      }
    }
    tokens.push({ t: 'end', v: '' });
    return tokens;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    return token.t === 'ident' && token.v.toUpperCase() === word;
  }

  private punct(v: string): boolean {
    const token = this.peek();
    return token.t === 'punct' && token.v === v;
  }

  private expect(v: string): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== v) this.syntax(token);
  }

  private end(): void {
    const token = this.peek();
    if (token.t === 'end') return;
    if (token.t === 'ident' && UNSIMULATED_KEYWORDS.has(token.v.toUpperCase()))
      this.unsupported(token.v.toUpperCase());
    this.syntax(token);
  }

  private syntax(token: Token): never {
    throw validation(
      `Invalid ${this.expression}: Syntax error; token: "${token.v || '<EOF>'}", near: "${this.source}"`,
    );
  }

  private unsupported(what: string): never {
    throw new SimulatorUnsupportedError(
      `${what} in the ${this.expression} "${this.source}" is not simulated (see rehearsal/simulator/dynamodb/expressions.ts)`,
    );
  }
}

export function parseCondition(
  source: string,
  ctx: ExpressionContext,
  expression = 'ConditionExpression',
): Condition {
  return new Parser(source, expression, ctx).condition();
}

/** The actions of `SET a = :a, #b = :b`; the key attributes may not be set. */
export function parseUpdate(
  source: string,
  ctx: ExpressionContext,
  keyNames: readonly string[],
): UpdateAction[] {
  return new Parser(source, 'UpdateExpression', ctx).update(keyNames);
}

/** The partition key's value in `pk = :value`, the one key condition simulated. */
export function parseKeyCondition(
  source: string,
  ctx: ExpressionContext,
  partitionKey: string,
): AttributeValue {
  const condition = parseCondition(source, ctx, 'KeyConditionExpression');
  if (condition.kind === 'compare' && condition.left.kind === 'name' && condition.right.kind === 'value') {
    if (condition.left.name !== partitionKey)
      throw validation(`Query condition missed key schema element: ${partitionKey}`);
    if (condition.op === '=') return condition.right.value;
  }
  throw validation(
    `Invalid KeyConditionExpression: the simulated key condition is "${partitionKey} = :value", got "${source}"`,
  );
}

/** Whether `item` (undefined when there is none) meets the condition. */
export function evaluate(condition: Condition, item: AttributeMap | undefined): boolean {
  switch (condition.kind) {
    case 'or':
      return condition.terms.some((term) => evaluate(term, item));
    case 'exists':
      return item?.[condition.name] !== undefined;
    case 'not_exists':
      return item?.[condition.name] === undefined;
    case 'compare': {
      const value = (o: Operand) => (o.kind === 'value' ? o.value : item?.[o.name]);
      const left = value(condition.left);
      const right = value(condition.right);
      // A missing attribute or another type is never equal, and orders neither way.
      if (condition.op === '=') return equals(left, right);
      if (condition.op === '<>') return !equals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      if (condition.op === '<') return order < 0;
      if (condition.op === '<=') return order <= 0;
      if (condition.op === '>') return order > 0;
      return order >= 0;
    }
  }
}

/** A copy of `item` with the update applied. */
export function applyUpdate(item: AttributeMap, actions: readonly UpdateAction[]): AttributeMap {
  const next = structuredClone(item);
  for (const action of actions) next[action.name] = structuredClone(action.value);
  return next;
}
