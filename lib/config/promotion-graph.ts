import type { EnvironmentName } from '../../lambda/shared/environments';
import { FROM_IMAGE_FACTORY } from './environment-name';

/**
 * The promotion graph: each environment takes its images from one source, the image factory or
 * another environment's releases. Images flow from a source to the environments that take from
 * it, so the graph must be a forest rooted at the factory: every source configured, no cycle, and
 * at least one environment taking the factory's images. Plain data in, plain data out.
 */
export interface PromotionNode {
  readonly name: EnvironmentName;
  readonly promotion: { readonly from: string };
}

/**
 * What is wrong with the graph, one sentence each (`<env>.promotion.from <rule>, got <value>`),
 * or nothing. Environments' names are unique by now (see {@link duplicateNameProblems}).
 */
export function promotionProblems(environments: readonly PromotionNode[]): string[] {
  const names = environments.map((e) => e.name);
  const byName = new Map(environments.map((e) => [e.name, e]));
  const problems: string[] = [];
  for (const e of environments) {
    const from = e.promotion.from;
    if (from !== FROM_IMAGE_FACTORY && !byName.has(from)) {
      problems.push(
        `${e.name}.promotion.from must name a configured environment (${names.join(', ')}), got "${from}"`,
      );
    }
  }
  for (const cycle of cyclesOf(environments)) {
    // Named after the cycle's member configured first, so the message is stable.
    const first = environments.find((e) => cycle.includes(e.name)) as PromotionNode;
    const flow = [...rotateTo(cycle, first.promotion.from), first.promotion.from].join(' → ');
    problems.push(
      `${first.name}.promotion.from closes a cycle (${flow}): each takes another's releases, so no image ever ` +
        `reaches them; let one of them take from "${FROM_IMAGE_FACTORY}" or from an environment outside the cycle, ` +
        `got "${first.promotion.from}"`,
    );
  }
  if (!environments.some((e) => e.promotion.from === FROM_IMAGE_FACTORY)) {
    problems.push(
      `promotion: no environment takes the image factory's images; set promotion.from to "${FROM_IMAGE_FACTORY}" ` +
        `on the one that should take new images first${names.length > 0 ? ` (one of ${names.join(', ')})` : ''}`,
    );
  }
  return problems;
}

/** Environments configured under the same name, one sentence each, or nothing. */
export function duplicateNameProblems(environments: readonly { readonly name: EnvironmentName }[]): string[] {
  const firstAt = new Map<EnvironmentName, number>();
  return environments.flatMap((e, i) => {
    const first = firstAt.get(e.name);
    if (first === undefined) {
      firstAt.set(e.name, i);
      return [];
    }
    return [
      `environments.${i}.name must differ from every other environment's (environments.${first} is ${e.name} ` +
        `too, and each environment's stack and resources are named after it), got "${e.name}"`,
    ];
  });
}

/**
 * The environments in promotion order: each after the source it takes from, ties (environments
 * whose sources are all placed) in the order they are configured. For a graph with problems, the
 * environments that could be placed, then the rest in configured order.
 */
export function promotionOrder<E extends PromotionNode>(environments: readonly E[]): E[] {
  const placed = new Set<EnvironmentName>();
  const order: E[] = [];
  const ready = (e: E) =>
    !placed.has(e.name) && (e.promotion.from === FROM_IMAGE_FACTORY || placed.has(e.promotion.from));
  for (let next = environments.find(ready); next; next = environments.find(ready)) {
    placed.add(next.name);
    order.push(next);
  }
  return [...order, ...environments.filter((e) => !placed.has(e.name))];
}

/** Each cycle of sources once, as the names along it in the direction images would flow. */
function cyclesOf(environments: readonly PromotionNode[]): EnvironmentName[][] {
  const sourceOf = new Map(environments.map((e) => [e.name, e.promotion.from]));
  const seen = new Set<EnvironmentName>();
  const cycles: EnvironmentName[][] = [];
  for (const start of environments) {
    // Walk towards the sources; every environment has one, so a walk ends at the factory, at an
    // unknown source, at a walk seen before, or on a cycle of its own.
    const path: EnvironmentName[] = [];
    let at: string | undefined = start.name;
    while (at !== undefined && sourceOf.has(at) && !seen.has(at)) {
      seen.add(at);
      path.push(at);
      at = sourceOf.get(at);
    }
    const loopsAt = at === undefined ? -1 : path.indexOf(at);
    // The path runs against the flow (each name's source comes after it): reverse it.
    if (loopsAt >= 0) cycles.push(path.slice(loopsAt).reverse());
  }
  return cycles;
}

/** `cycle` starting at `name`. */
function rotateTo(cycle: readonly EnvironmentName[], name: EnvironmentName): EnvironmentName[] {
  const at = cycle.indexOf(name);
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}
