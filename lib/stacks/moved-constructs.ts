import { Names } from 'aws-cdk-lib';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Construct, RootConstruct } from 'constructs';
import type { IConstruct } from 'constructs';

/** A construct that moved since its resources were first deployed: its path under the stack now, and then. */
export interface Move {
  readonly now: string;
  readonly then: string;
}

/** CDK's unique id for a path of construct ids (its own algorithm, run on a detached tree). */
function uniqueIdAt(path: readonly string[]): string {
  let node: Construct = new RootConstruct();
  for (const id of path) node = new Construct(node, id);
  return Names.uniqueId(node);
}

/** Construct ids from just below `ancestor` down to `construct`. */
const pathBelow = (ancestor: IConstruct, construct: IConstruct): string[] =>
  construct.node.scopes.slice(ancestor.node.scopes.length).map((scope) => scope.node.id);

/** The path a construct had, when it lies in one that moved. */
function formerPath(path: readonly string[], moves: readonly Move[]): string[] | undefined {
  const at = path.join('/');
  for (const { now, then } of moves) {
    if (at === now || at.startsWith(`${now}/`))
      return [...then.split('/'), ...path.slice(now.split('/').length)];
  }
  return undefined;
}

/**
 * The logical id a resource was deployed with, when it or a construct its id derives from has
 * moved since. CloudFormation knows a resource by its logical id, which CDK derives from the
 * construct path; a few constructs also name themselves after another's unique id (a security
 * group rule after its peer group). Both are derived here from the paths the constructs had,
 * so moving a construct replaces nothing. Undefined when nothing about the resource moved.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/identifiers.html#identifiers_logical_ids
 */
export function formerLogicalId(
  stack: Stack,
  element: CfnElement,
  moves: readonly Move[],
): string | undefined {
  const path = pathBelow(stack, element);
  const moved = formerPath(path, moves) ?? path;
  // A unique id ends in an 8-digit upper-case hash: only such ids can name another construct.
  const former = moved.some((id) => /[0-9A-F]{8}/.test(id))
    ? withFormerUniqueIds(stack, moved, moves)
    : moved;
  return former.join('/') === path.join('/') ? undefined : uniqueIdAt(former);
}

/** The ids in `path` with every unique id of a construct under a moved path replaced by the one it had. */
function withFormerUniqueIds(stack: Stack, path: readonly string[], moves: readonly Move[]): string[] {
  const stackPath = stack.node.scopes.slice(1).map((scope) => scope.node.id);
  const renamed: [now: string, then: string][] = [];
  for (const { now } of moves) {
    const moved = now.split('/').reduce<IConstruct | undefined>((c, id) => c?.node.tryFindChild(id), stack);
    for (const c of moved?.node.findAll() ?? []) {
      const then = formerPath(pathBelow(stack, c), moves) as string[];
      renamed.push([Names.uniqueId(c), uniqueIdAt([...stackPath, ...then])]);
    }
  }
  return path.map((id) => renamed.reduce((renamedId, [now, then]) => renamedId.split(now).join(then), id));
}
