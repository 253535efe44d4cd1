import type { CheckedTemplate, JsonPath, OneOf, PayloadOf, PayloadTemplate } from './json-path';

/**
 * How a state machine's table of step payloads is read: by function, then by the state that
 * invokes it. A template may be a function of what only lib/ can make (a task token).
 */
export type StepPayloadTable = {
  readonly [fn: string]: {
    readonly [state: string]: PayloadTemplate | ((...args: never[]) => PayloadTemplate);
  };
};

type TemplateOf<V> = V extends (...args: never[]) => infer T ? T : V;
type PayloadsOf<U> = U extends unknown ? PayloadOf<U> : never;

/** The states that invoke `fn` with a template lib/ uses as it is. */
export type StateOf<Table extends StepPayloadTable, Fn extends keyof Table> = {
  [S in keyof Table[Fn]]: Table[Fn][S] extends (...args: never[]) => unknown ? never : S;
}[keyof Table[Fn]] &
  string;

/**
 * What the function `fn` accepts: the payload of each state that invokes it, derived from the
 * templates those states send, fields only some of them send present as `undefined` elsewhere.
 */
export type PayloadFor<Table extends StepPayloadTable, Fn extends keyof Table> = OneOf<
  PayloadsOf<TemplateOf<Table[Fn][keyof Table[Fn]]>>
>;

/**
 * A step's template, led by the execution every step payload draws from (a step's settings
 * are its function's own, never the payload's).
 */
export const withExecution =
  <E>(execution: JsonPath<E>) =>
  <const T extends PayloadTemplate>(
    fields: T & CheckedTemplate<T>,
  ): { readonly 'execution.$': JsonPath<E> } & T => ({ 'execution.$': execution, ...fields });
