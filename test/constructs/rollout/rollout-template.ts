import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { ImmutableStack } from '../../../lib/stacks/immutable-stack';

/**
 * A CloudFormation value as one string: a Ref as `${Name}`, a GetAtt as `${Id.Attr}`, a join
 * concatenated. The placeholders hold no quote, so a definition joined around tokens still parses
 * as JSON, and ARNs compare as plain strings.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const v = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(render).join(v['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** How a construct attribute (a token) appears in the template, rendered. */
export const rendered = (stack: Stack, token: string): string => render(stack.resolve(token));

/** The account-and-region ARN prefix of a service, as `Stack.formatArn` renders it. */
export const arnPrefix = (service: string) =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:`;

export interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxAttempts?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: string;
}

export interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  readonly ResultPath?: string;
}

/** The fields of an Amazon States Language state these tests read. */
export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: { readonly Next: string }[];
  readonly Catch?: Catcher[];
  readonly Retry?: Retrier[];
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly SecondsPath?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Record<string, AslState>;
  readonly [field: string]: unknown;
}

/** The rollout state machine's definition, parsed from the template's DefinitionString. */
export function rolloutDefinition(stack: ImmutableStack, template: Template): AslDefinition {
  const logicalId = stack.getLogicalId(stack.rollout.stateMachine.node.defaultChild as never);
  const resource = template.toJSON().Resources[logicalId] as
    { Properties: { DefinitionString: unknown } } | undefined;
  if (!resource) throw new Error(`no state machine ${logicalId} in the template`);
  return JSON.parse(render(resource.Properties.DefinitionString)) as AslDefinition;
}

/** Every state a state can move to: Next, Default, choice rules and catchers. */
export function successors(state: AslState): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((c) => c.Next),
    ...(state.Catch ?? []).map((c) => c.Next),
  ];
}

/**
 * The states reachable from `from` (included), following `next` (every transition by default)
 * and never leaving a state listed in `stopAt`.
 */
export function reachable(
  def: AslDefinition,
  from: string[],
  options: { next?: (s: AslState) => string[]; stopAt?: string[] } = {},
): Set<string> {
  const next = options.next ?? successors;
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    if (options.stopAt?.includes(name)) continue;
    const state = def.States[name];
    if (!state) throw new Error(`transition to a missing state ${name}`);
    queue.push(...next(state));
  }
  return seen;
}

/** A state's normal transitions, without its catchers. */
export const normalSuccessors = (s: AslState): string[] => successors({ ...s, Catch: [] });

/** Names of the states in a cycle that does not pass through a state kept out by `without`. */
export function statesOnCycles(def: AslDefinition, without: (s: AslState) => boolean): string[] {
  const names = Object.keys(def.States).filter((n) => !without(def.States[n] as AslState));
  const kept = new Set(names);
  const next = (n: string) => successors(def.States[n] as AslState).filter((m) => kept.has(m));
  return names.filter((start) => {
    const seen = new Set<string>();
    const queue = next(start);
    while (queue.length) {
      const n = queue.shift() as string;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(...next(n));
    }
    return false;
  });
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type Conditions = Record<string, Record<string, string | string[]>>;

/** A statement with its actions, resources and condition values as strings. */
export interface Grant {
  readonly policy: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Conditions;
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

const renderConditions = (c: Record<string, Record<string, unknown>>): Conditions =>
  Object.fromEntries(
    Object.entries(c).map(([op, keys]) => [
      op,
      Object.fromEntries(
        Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? v.map(render) : render(v)]),
      ),
    ]),
  );

/** The statements of every AWS::IAM::Policy attached to `roleLogicalId`, rendered. */
export function grantsOf(template: Template, roleLogicalId: string): Grant[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatementJson[] } } }
  >;
  return Object.entries(policies)
    .filter(([, p]) => p.Properties.Roles.some((r) => render(r) === `\${${roleLogicalId}}`))
    .flatMap(([policy, p]) =>
      p.Properties.PolicyDocument.Statement.map((s) => {
        if (s.Effect !== 'Allow') throw new Error(`${policy}: unexpected ${s.Effect} statement`);
        return {
          policy,
          actions: asArray(s.Action),
          resources: asArray(s.Resource).map(render),
          ...(s.Condition ? { condition: renderConditions(s.Condition) } : {}),
        };
      }),
    );
}
