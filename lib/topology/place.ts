/**
 * Where a stack runs. Either every stack of the product is pinned to an account and region (the
 * configuration refuses a mix), or none is: then they all deploy to one account and region, and
 * nothing needs to cross a boundary.
 */
export interface Place {
  readonly account?: string;
  readonly region?: string;
}

/** The place of a configured stack: its account and region, where it names them. */
export const placeOf = (c: { readonly account?: string; readonly region?: string }): Place => ({
  ...(c.account ? { account: c.account } : {}),
  ...(c.region ? { region: c.region } : {}),
});

/** Whether two stacks publish to the same event bus (the same account and region). */
export const sameBus = (a: Place, b: Place): boolean => a.account === b.account && a.region === b.region;

/**
 * The default event bus of a pinned place.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus.html
 */
export function defaultBusArn(p: Place): string {
  if (!p.account || !p.region) throw new Error('a bus in another account or region needs both pinned');
  return `arn:aws:events:${p.region}:${p.account}:event-bus/default`;
}
