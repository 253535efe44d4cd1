import { SHIPPED_ENVIRONMENTS as ENVIRONMENT_NAMES } from '../support/templates';
import type { ShippedEnvironment as EnvironmentName } from '../support/templates';
import { synthesizedFactoryTemplate, synthesizedTemplates } from '../support/templates';

/**
 * A synthesized template read the way CloudFormation reads it, for rules that hold for every
 * resource of a kind rather than for one construct: what depends on what, which names are fixed,
 * which statements a policy holds. The rules work on template JSON only, so each suite shows its
 * check failing on an edited copy of a real template, without another synthesis.
 */

export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly UpdatePolicy?: Record<string, any>;
}

export interface TemplateJson {
  readonly Resources: Record<string, Resource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

export const ENVS = ENVIRONMENT_NAMES;

/** A deep copy of an environment's template from the run's single synthesis, free to edit. */
export function templateOf(env: EnvironmentName): TemplateJson {
  return structuredClone(synthesizedTemplates()[env]);
}

/** A deep copy of the image factory's template from the run's single synthesis, free to edit. */
export function factoryTemplateOf(): TemplateJson {
  return structuredClone(synthesizedFactoryTemplate());
}

/** Every stack of the product: the image factory's and each environment's, by name. */
export const STACKS = ['image-factory', ...ENVIRONMENT_NAMES] as const;
export type StackName = (typeof STACKS)[number];

/** A deep copy of one stack's template (the factory's or an environment's). */
export const stackTemplateOf = (stack: StackName): TemplateJson =>
  stack === 'image-factory' ? factoryTemplateOf() : templateOf(stack);

/** The pseudo parameters: they name the stack's place, never a resource. */
const PSEUDO = /^AWS::/;

/** Logical ids of the resources a value refers to (Ref, GetAtt, Sub), parameters excluded. */
export function referencedResources(value: unknown, template: TemplateJson): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string' && !PSEUDO.test(o.Ref) && o.Ref in template.Resources) found.add(o.Ref);
    const att = o['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') found.add(att[0]);
    else if (typeof att === 'string') found.add(att.split('.')[0] as string);
    const sub = o['Fn::Sub'];
    const text =
      typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : '';
    for (const m of text.matchAll(/\$\{([\w]+)(?:\.[\w.]+)?\}/g)) {
      if (m[1] && m[1] in template.Resources) found.add(m[1]);
    }
    Object.values(o).forEach(visit);
  };
  visit(value);
  return found;
}

/** What a resource waits for: every resource it refers to, and its DependsOn. */
export function directDependencies(id: string, template: TemplateJson): Set<string> {
  const r = template.Resources[id];
  if (!r) throw new Error(`no resource ${id}`);
  const deps = referencedResources(r.Properties ?? {}, template);
  const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
  for (const d of dependsOn) deps.add(d);
  return deps;
}

/** Everything CloudFormation must have created before `id` (the transitive dependencies). */
export function createdBefore(id: string, template: TemplateJson): Set<string> {
  const seen = new Set<string>();
  const queue = [...directDependencies(id, template)];
  while (queue.length) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...directDependencies(next, template));
  }
  return seen;
}

/** A CloudFormation value as one string: Refs and GetAtts as `${…}`, joins concatenated. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (v?.Ref) return `\${${v.Ref}}`;
  if (v?.['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  if (v?.['Fn::Join']) return v['Fn::Join'][1].map(render).join(v['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** Whether an IAM-style pattern (`*` any run of characters, `?` one) matches `text`. */
export function globMatches(pattern: string, text: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(text);
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

export const asArray = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Whether a statement names `action`, by name or by an IAM wildcard (actions are case-insensitive). */
export function allowsAction(s: Statement, action: string): boolean {
  return asArray(s.Action).some((a) => globMatches(a.toLowerCase(), action.toLowerCase()));
}

/** The service principals a statement names. */
export function servicePrincipals(s: Statement): string[] {
  const p = s.Principal as { Service?: string | string[] } | string | undefined;
  return typeof p === 'object' && p !== null ? asArray(p.Service) : [];
}

/** The statements of every identity policy attached to a role (AWS::IAM::Policy and inline). */
export function roleStatements(roleId: string, template: TemplateJson): Statement[] {
  type Document = { Statement: Statement | Statement[] } | undefined;
  const role = template.Resources[roleId];
  const inline = asArray(role?.Properties?.Policies as { PolicyDocument: Document }[] | undefined).map(
    (p) => p.PolicyDocument,
  );
  const attached = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => asArray(r.Properties?.Roles as unknown[]).some((x) => render(x) === `\${${roleId}}`))
    .map((r) => r.Properties?.PolicyDocument as Document);
  return [...inline, ...attached].flatMap((d) => asArray(d?.Statement));
}

/** Resources of a type, as [logical id, resource]. */
export function resourcesOf(template: TemplateJson, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
