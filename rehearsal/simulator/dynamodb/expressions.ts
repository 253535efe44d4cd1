import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { awsError, SimulatorUnsupportedError } from '../errors';
import { addNumbers, compare, equals, typeOf, type AttributeMap } from './attribute-value';
import { RESERVED_WORDS } from './reserved-words';

/**
 * A small evaluator for DynamoDB condition, key condition and update expressions:
 * comparisons (= <> < <= > >=), BETWEEN, AND, OR, NOT, parentheses, attribute_exists,
 * attribute_not_exists, begins_with; SET (with if_not_exists and + / -), REMOVE, ADD for
 * numbers. Valid DynamoDB syntax outside this grammar throws SimulatorUnsupportedError; invalid
 * syntax throws ValidationException as DynamoDB does.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 */

export type PathSegment = { readonly name: string } | { readonly index: number };
export interface Path {
  readonly kind: 'path';
  readonly segments: readonly PathSegment[];
  readonly text: string;
}
export interface ValueRef {
  readonly kind: 'value';
  readonly name: string;
}
export type Operand = Path | ValueRef;

export type Condition =
  | {
      readonly kind: 'compare';
      readonly op: '=' | '<>' | '<' | '<=' | '>' | '>=';
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly kind: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly inner: Condition }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: Path }
  | { readonly kind: 'begins_with'; readonly subject: Operand; readonly prefix: Operand };

export type SetValue =
  | { readonly kind: 'operand'; readonly operand: Operand }
  | { readonly kind: 'if_not_exists'; readonly path: Path; readonly fallback: Operand }
  | { readonly kind: 'arith'; readonly op: '+' | '-'; readonly left: SetValue; readonly right: SetValue };

export type UpdateAction =
  | { readonly kind: 'set'; readonly path: Path; readonly value: SetValue }
  | { readonly kind: 'remove'; readonly path: Path }
  | { readonly kind: 'add'; readonly path: Path; readonly value: ValueRef };

/** Expression attribute names and values, tracking which ones an expression used. */
export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> = {},
    readonly values: Record<string, AttributeValue> = {},
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

export function validation(message: string): Error {
  return awsError('dynamodb', 'ValidationException', message);
}

// ---- tokens --------------------------------------------------------------------------------

type Token =
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'value'; readonly v: string }
  | { readonly t: 'number'; readonly v: string }
  | { readonly t: 'punct'; readonly v: string }
  | { readonly t: 'end'; readonly v: '' };

const UNSUPPORTED_FUNCTIONS = new Set(['contains', 'size', 'attribute_type', 'list_append']);
const KNOWN_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'begins_with', 'if_not_exists']);

function tokenize(source: string, expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ t: 'punct', v: two });
      i += 2;
      continue;
    }
    if ('=<>(),.[]+-'.includes(c)) {
      tokens.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const match = /^([#:]?)([A-Za-z0-9_]+)/.exec(source.slice(i));
    if (!match)
      throw validation(
        `Invalid ${expression}: Syntax error; token: "${c}", near: "${source.slice(Math.max(0, i - 5), i + 5)}"`,
      );
    const [text, sigil, body] = match as unknown as [string, string, string];
    if (sigil === '#') tokens.push({ t: 'name', v: text });
    else if (sigil === ':') tokens.push({ t: 'value', v: text });
    else if (/^\d+$/.test(body)) tokens.push({ t: 'number', v: body });
    else if (/^[A-Za-z_]/.test(body)) tokens.push({ t: 'ident', v: body });
    else throw validation(`Invalid ${expression}: Syntax error; token: "${body}"`);
    i += text.length;
  }
  tokens.push({ t: 'end', v: '' });
  return tokens;
}

// ---- parser --------------------------------------------------------------------------------

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly expression: string,
    private readonly ctx: ExpressionContext,
  ) {
    if (source.trim() === '') throw validation(`Invalid ${expression}: The expression can not be empty;`);
    this.tokens = tokenize(source, expression);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  private keyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
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

  syntax(token: Token = this.peek()): never {
    throw validation(
      `Invalid ${this.expression}: Syntax error; token: "${token.v || '<EOF>'}", near: "${this.source}"`,
    );
  }

  end(): void {
    if (this.peek().t !== 'end') this.syntax();
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.keyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.keyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.keyword('NOT')) {
      this.next();
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.punct('(')) {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const token = this.peek();
    if (token.t === 'ident' && this.peek(1).t === 'punct' && this.peek(1).v === '(')
      return this.conditionFunction();
    const left = this.operand();
    if (this.keyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.keyword('AND')) this.syntax();
      this.next();
      return { kind: 'between', subject: left, low, high: this.operand() };
    }
    if (this.keyword('IN'))
      throw new SimulatorUnsupportedError(`The IN operator is not simulated (${this.source})`);
    const op = this.next();
    if (op.t !== 'punct' || !['=', '<>', '<', '<=', '>', '>='].includes(op.v)) this.syntax(op);
    return { kind: 'compare', op: op.v as '=', left, right: this.operand() };
  }

  private conditionFunction(): Condition {
    const name = this.next().v;
    this.checkFunction(name);
    this.expect('(');
    let result: Condition;
    if (name === 'attribute_exists' || name === 'attribute_not_exists') {
      result = { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', path: this.path() };
    } else if (name === 'begins_with') {
      const subject = this.operand();
      this.expect(',');
      result = { kind: 'begins_with', subject, prefix: this.operand() };
    } else {
      throw validation(
        `Invalid ${this.expression}: The function is not allowed in a condition expression; function: ${name}`,
      );
    }
    this.expect(')');
    return result;
  }

  private checkFunction(name: string): void {
    if (UNSUPPORTED_FUNCTIONS.has(name))
      throw new SimulatorUnsupportedError(`The DynamoDB function ${name} is not simulated (${this.source})`);
    if (!KNOWN_FUNCTIONS.has(name))
      throw validation(`Invalid ${this.expression}: Invalid function name; function: ${name}`);
  }

  operand(): Operand {
    const token = this.peek();
    if (token.t === 'value') {
      this.next();
      this.ctx.value(token.v);
      return { kind: 'value', name: token.v };
    }
    if (token.t === 'ident' && this.peek(1).t === 'punct' && this.peek(1).v === '(') {
      this.checkFunction(token.v);
      this.syntax(token);
    }
    return this.path();
  }

  path(): Path {
    const segments: PathSegment[] = [];
    const parts: string[] = [];
    const name = () => {
      const token = this.next();
      if (token.t === 'name') {
        segments.push({ name: this.ctx.name(token.v, this.expression) });
        parts.push(token.v);
      } else if (token.t === 'ident') {
        if (RESERVED_WORDS.has(token.v.toUpperCase()))
          throw validation(
            `Invalid ${this.expression}: Attribute name is a reserved keyword; reserved keyword: ${token.v}`,
          );
        segments.push({ name: token.v });
        parts.push(token.v);
      } else this.syntax(token);
    };
    name();
    for (;;) {
      if (this.punct('.')) {
        this.next();
        name();
      } else if (this.punct('[')) {
        this.next();
        const index = this.next();
        if (index.t !== 'number') this.syntax(index);
        this.expect(']');
        segments.push({ index: Number(index.v) });
        parts.push(`[${index.v}]`);
      } else break;
    }
    return { kind: 'path', segments, text: parts.join('.') };
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.punct(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    while (this.peek().t !== 'end') {
      const clause = this.next();
      const word = clause.t === 'ident' ? clause.v.toUpperCase() : '';
      if (word === 'DELETE')
        throw new SimulatorUnsupportedError(`The DELETE update action is not simulated (${this.source})`);
      if (!['SET', 'REMOVE', 'ADD'].includes(word)) this.syntax(clause);
      if (seen.has(word))
        throw validation(
          `Invalid UpdateExpression: The "${word}" section can only be used once in an update expression;`,
        );
      seen.add(word);
      do {
        if (word === 'SET') {
          const path = this.path();
          this.expect('=');
          actions.push({ kind: 'set', path, value: this.setValue() });
        } else if (word === 'REMOVE') {
          actions.push({ kind: 'remove', path: this.path() });
        } else {
          const path = this.path();
          const value = this.operand();
          if (value.kind !== 'value') this.syntax();
          actions.push({ kind: 'add', path, value });
        }
      } while (this.punct(',') && this.next());
    }
    if (actions.length === 0) this.syntax();
    return actions;
  }

  private setValue(): SetValue {
    const left = this.setTerm();
    if (this.punct('+') || this.punct('-')) {
      const op = this.next().v as '+' | '-';
      return { kind: 'arith', op, left, right: this.setTerm() };
    }
    return left;
  }

  private setTerm(): SetValue {
    const token = this.peek();
    if (token.t === 'ident' && this.peek(1).t === 'punct' && this.peek(1).v === '(') {
      this.next();
      this.checkFunction(token.v);
      if (token.v !== 'if_not_exists')
        throw validation(
          `Invalid UpdateExpression: The function is not allowed in an update expression; function: ${token.v}`,
        );
      this.expect('(');
      const path = this.path();
      this.expect(',');
      const fallback = this.operand();
      this.expect(')');
      return { kind: 'if_not_exists', path, fallback };
    }
    return { kind: 'operand', operand: this.operand() };
  }
}

export function parseCondition(
  source: string,
  ctx: ExpressionContext,
  expression = 'ConditionExpression',
): Condition {
  const parser = new Parser(source, expression, ctx);
  const condition = parser.condition();
  parser.end();
  return condition;
}

export function parseUpdate(source: string, ctx: ExpressionContext): UpdateAction[] {
  return new Parser(source, 'UpdateExpression', ctx).update();
}

/** Top-level paths of a ProjectionExpression (`a, #b, c.d`). */
export function parseProjection(source: string, ctx: ExpressionContext): Path[] {
  const parser = new Parser(source, 'ProjectionExpression', ctx);
  const paths = parser.projection();
  parser.end();
  return paths;
}

// ---- evaluation ----------------------------------------------------------------------------

export function resolvePath(item: AttributeMap | undefined, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = undefined;
  let container: AttributeMap | undefined = item;
  for (const [i, segment] of path.segments.entries()) {
    if ('name' in segment) {
      if (i === 0) current = container?.[segment.name];
      else current = current?.M?.[segment.name];
    } else {
      current = current?.L?.[segment.index];
    }
    if (current === undefined) return undefined;
    container = undefined;
  }
  return current;
}

function operandValue(
  item: AttributeMap | undefined,
  operand: Operand,
  ctx: ExpressionContext,
): AttributeValue | undefined {
  return operand.kind === 'value' ? ctx.value(operand.name) : resolvePath(item, operand);
}

/**
 * Comparisons between values of different types are false; `<>` is true for them (a missing
 * attribute differs from any value).
 */
export function evaluate(
  condition: Condition,
  item: AttributeMap | undefined,
  ctx: ExpressionContext,
): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item, ctx) && evaluate(condition.right, item, ctx);
    case 'or':
      return evaluate(condition.left, item, ctx) || evaluate(condition.right, item, ctx);
    case 'not':
      return !evaluate(condition.inner, item, ctx);
    case 'exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'not_exists':
      return resolvePath(item, condition.path) === undefined;
    case 'begins_with': {
      const subject = operandValue(item, condition.subject, ctx);
      const prefix = operandValue(item, condition.prefix, ctx);
      if (subject?.S !== undefined && prefix?.S !== undefined) return subject.S.startsWith(prefix.S);
      if (subject?.B !== undefined && prefix?.B !== undefined)
        return Buffer.from(subject.B).subarray(0, prefix.B.length).equals(Buffer.from(prefix.B));
      return false;
    }
    case 'between': {
      const value = operandValue(item, condition.subject, ctx);
      const low = compare(value, operandValue(item, condition.low, ctx));
      const high = compare(value, operandValue(item, condition.high, ctx));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'compare': {
      const left = operandValue(item, condition.left, ctx);
      const right = operandValue(item, condition.right, ctx);
      if (condition.op === '=') return equals(left, right);
      if (condition.op === '<>') return !equals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      return condition.op === '<'
        ? order < 0
        : condition.op === '<='
          ? order <= 0
          : condition.op === '>'
            ? order > 0
            : order >= 0;
    }
  }
}

function setValueOf(item: AttributeMap, value: SetValue, ctx: ExpressionContext): AttributeValue {
  switch (value.kind) {
    case 'operand': {
      const result = operandValue(item, value.operand, ctx);
      if (result === undefined)
        throw validation('The provided expression refers to an attribute that does not exist in the item');
      return result;
    }
    case 'if_not_exists':
      return resolvePath(item, value.path) ?? (operandValue(item, value.fallback, ctx) as AttributeValue);
    case 'arith': {
      const left = setValueOf(item, value.left, ctx);
      const right = setValueOf(item, value.right, ctx);
      if (left.N === undefined || right.N === undefined)
        throw validation('An operand in the update expression has an incorrect data type');
      return { N: addNumbers(left.N, right.N, value.op === '+' ? 1 : -1) };
    }
  }
}

/**
 * Applies update actions to a copy of `item`. Every right-hand side reads the item as it was
 * before the update, as DynamoDB does. Paths may not overlap nor touch the key.
 */
export function applyUpdate(
  item: AttributeMap,
  actions: readonly UpdateAction[],
  ctx: ExpressionContext,
  keyNames: readonly string[],
): AttributeMap {
  const texts: string[] = [];
  for (const action of actions) {
    const text = pathKey(action.path);
    for (const other of texts)
      if (
        text === other ||
        text.startsWith(`${other}.`) ||
        other.startsWith(`${text}.`) ||
        text.startsWith(`${other}[`) ||
        other.startsWith(`${text}[`)
      )
        throw validation(
          `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${other}], path two: [${text}]`,
        );
    texts.push(text);
    const first = action.path.segments[0] as { name: string };
    if (keyNames.includes(first.name))
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${first.name}. This attribute is part of the key`,
      );
  }
  const computed = actions.map((action) => {
    if (action.kind === 'set') return setValueOf(item, action.value, ctx);
    if (action.kind === 'add') {
      const delta = ctx.value(action.value.name);
      if (delta.N === undefined) {
        if (['SS', 'NS', 'BS'].includes(typeOf(delta) ?? ''))
          throw new SimulatorUnsupportedError('ADD on sets is not simulated');
        throw validation(
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ' +
            typeOf(delta),
        );
      }
      const current = resolvePath(item, action.path);
      if (current === undefined) return delta;
      if (current.N === undefined)
        throw validation('An operand in the update expression has an incorrect data type');
      return { N: addNumbers(current.N, delta.N, 1) };
    }
    return undefined;
  });
  const next = structuredClone(item);
  actions.forEach((action, i) => {
    if (action.kind === 'remove') removeAt(next, action.path);
    else setAt(next, action.path, computed[i] as AttributeValue);
  });
  return next;
}

function pathKey(path: Path): string {
  return path.segments.map((s, i) => ('name' in s ? `${i ? '.' : ''}${s.name}` : `[${s.index}]`)).join('');
}

function parentOf(item: AttributeMap, path: Path): AttributeValue | AttributeMap | undefined {
  if (path.segments.length === 1) return item;
  const parent: Path = { ...path, segments: path.segments.slice(0, -1) };
  return resolvePath(item, parent);
}

function setAt(item: AttributeMap, path: Path, value: AttributeValue): void {
  const last = path.segments[path.segments.length - 1] as PathSegment;
  const parent = parentOf(item, path);
  if (path.segments.length === 1 && 'name' in last) {
    item[last.name] = value;
    return;
  }
  const container = parent as AttributeValue | undefined;
  if ('name' in last && container?.M) container.M[last.name] = value;
  else if ('index' in last && container?.L) {
    if (last.index >= container.L.length) container.L.push(value);
    else container.L[last.index] = value;
  } else throw validation('The document path provided in the update expression is invalid for update');
}

function removeAt(item: AttributeMap, path: Path): void {
  const last = path.segments[path.segments.length - 1] as PathSegment;
  if (path.segments.length === 1 && 'name' in last) {
    delete item[last.name];
    return;
  }
  const container = parentOf(item, path) as AttributeValue | undefined;
  if ('name' in last && container?.M) delete container.M[last.name];
  else if ('index' in last && container?.L) container.L.splice(last.index, 1);
}
