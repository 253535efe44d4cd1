/**
 * Typed JSONPath over a state machine's document. A path is built from the document's own keys,
 * so it compiles only if the document has that path, and it is the very string Step Functions
 * reads: `pathsOf<Doc>()('plan', 'kind')` is `'$.plan.kind'`. Its type also carries the type of
 * the value it selects, from which a step's payload type is derived (see {@link PayloadOf}).
 *
 * Keys rather than a typed proxy (`$.plan.kind`) or a template-literal string (`'$.plan.kind'`
 * checked against every path the document has): each key is checked, completed and reported on
 * by itself ("'knd' is not assignable to 'kind' | 'summary' | …"), nothing is intercepted at run
 * time, and the compiler never enumerates all the document's paths.
 */

declare const SELECTS: unique symbol;

/**
 * A JSONPath (`$.plan.kind`) selecting a `T`. At run time a plain string, so it goes wherever
 * CDK takes a path; the type exists for the compiler only.
 */
export type JsonPath<T> = string & { readonly [SELECTS]: T };

/** What a path may step through: a union's members (a canary's plan and a flip's both have `to`). */
type Members<T> = Exclude<T, undefined | null>;

type KeysOfMember<M> = M extends readonly unknown[]
  ? never
  : M extends object
    ? Extract<keyof M, string>
    : never;

/** The keys a path may take next below a `T`: any member's. An array or a scalar ends a path. */
export type KeyOf<T> = KeysOfMember<Members<T>>;

type ChildOfMember<M, K extends string> = M extends readonly unknown[]
  ? never
  : M extends object
    ? K extends keyof M
      ? M[K]
      : undefined
    : never;

/**
 * The value one key below a `T`: absent (`undefined`) where the key is optional, where only some
 * members of a union have it, or where `T` itself may be absent.
 */
export type ChildOf<T, K extends string> =
  ChildOfMember<Members<T>, K> | (undefined extends T ? undefined : never);

/** The value `keys` select below a `T`. */
export type ValueAt<T, Keys extends readonly string[]> = Keys extends readonly [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? ValueAt<ChildOf<T, Head>, Rest>
  : T;

/** Builds the paths below one JSONPath, one checked key at a time (four levels are enough here). */
export interface PathBuilder<T> {
  (): JsonPath<T>;
  <A extends KeyOf<T>>(first: A): JsonPath<ValueAt<T, [A]>>;
  <A extends KeyOf<T>, B extends KeyOf<ValueAt<T, [A]>>>(first: A, second: B): JsonPath<ValueAt<T, [A, B]>>;
  <A extends KeyOf<T>, B extends KeyOf<ValueAt<T, [A]>>, C extends KeyOf<ValueAt<T, [A, B]>>>(
    first: A,
    second: B,
    third: C,
  ): JsonPath<ValueAt<T, [A, B, C]>>;
  <
    A extends KeyOf<T>,
    B extends KeyOf<ValueAt<T, [A]>>,
    C extends KeyOf<ValueAt<T, [A, B]>>,
    D extends KeyOf<ValueAt<T, [A, B, C]>>,
  >(
    first: A,
    second: B,
    third: C,
    fourth: D,
  ): JsonPath<ValueAt<T, [A, B, C, D]>>;
}

/** A key JSONPath's dot notation can name as it is. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The paths below `base`: `pathsBelow(p)('waitSeconds')` is `${p}.waitSeconds`, checked. */
export function pathsBelow<T>(base: JsonPath<T>): PathBuilder<T> {
  return ((...keys: string[]) => {
    const odd = keys.find((k) => !PLAIN_KEY.test(k));
    if (odd !== undefined) throw new Error(`a document key must be a plain name, got "${odd}" below ${base}`);
    return [base, ...keys].join('.');
  }) as PathBuilder<T>;
}

/** The paths of a state machine's document `D`, from its root `$`. */
export const pathsOf = <D>(): PathBuilder<D> => pathsBelow('$' as JsonPath<D>);

/**
 * A JSONPath payload template as Step Functions takes it: a key ending in `.$` holds a path,
 * any other key a value sent as written (an object may nest both).
 */
export type PayloadTemplate = { readonly [key: string]: unknown };

/**
 * The payload a template sends. A `name.$` key becomes `name`, holding what its path selects:
 * always there, for a path that selects nothing fails the state (States.Runtime) before the
 * function runs. Other keys are sent as written; an array literal is sent as an array.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 */
export type PayloadOf<T> = {
  readonly [K in keyof T as K extends `${infer Name}.$` ? Name : K]: K extends `${string}.$`
    ? Selected<T[K]>
    : Written<T[K]>;
};

type Selected<P> = P extends JsonPath<infer V> ? Exclude<V, undefined> : never;

type Written<V> = V extends readonly (infer E)[]
  ? Written<E>[]
  : V extends JsonPath<unknown>
    ? never
    : V extends object
      ? PayloadOf<V>
      : V;

/**
 * A template whose `.$` keys hold typed paths, and only they: a path written as a plain string,
 * or a path under a key without `.$` (sent as text, not resolved), does not compile.
 */
export type CheckedTemplate<T> = {
  readonly [K in keyof T]: K extends `${string}.$`
    ? JsonPath<unknown>
    : T[K] extends JsonPath<unknown>
      ? never
      : T[K] extends readonly unknown[]
        ? T[K]
        : T[K] extends object
          ? CheckedTemplate<T[K]>
          : T[K];
};

/** A payload template, checked as {@link CheckedTemplate} and kept with its literal types. */
export const template = <const T extends PayloadTemplate>(fields: T & CheckedTemplate<T>): T => fields;

/**
 * One payload out of several a function accepts, with the fields only other payloads carry
 * present as `undefined`: code reads `event.progress?.step` whichever state sent the event.
 */
export type OneOf<U, All = U> = U extends unknown
  ? U & { readonly [K in Exclude<AnyKeyOf<All>, keyof U>]?: undefined }
  : never;

type AnyKeyOf<U> = U extends unknown ? keyof U : never;

/**
 * `D` where its states know more than the document type says: each field of `N` (which must
 * be one of `D`'s, of a type `D` allows there) replaces `D`'s. A branch after a Choice on
 * `plan.kind` knows which plan it has; a state after another knows that state's field is there.
 */
export type Narrowed<D, N extends { readonly [K in keyof N]: K extends keyof D ? D[K] : never }> = Omit<
  D,
  keyof N
> &
  N;
