import { FROM_IMAGE_FACTORY } from '../../lambda/shared/environments';
import type { Forward } from '../topology';

/** A receiver as a construct id reads it: `Staging`, `Prod-eu`, `ImageFactory`. */
const idOf = (receiver: string) =>
  receiver === FROM_IMAGE_FACTORY ? 'ImageFactory' : receiver.charAt(0).toUpperCase() + receiver.slice(1);

/**
 * The id of a forward's rule: `<prefix><Receiver>`, the receivers joined with `And` where they
 * share a bus. Stable while the receivers on that bus stay the same.
 */
export const forwardId = (prefix: string, forward: Forward): string =>
  `${prefix}${forward.to.map(idOf).join('And')}`;

/** The receivers of a forward, for its description: `staging`, `prod-eu and the image factory`. */
export function receivers(forward: Forward): string {
  const names = forward.to.map((r) => (r === FROM_IMAGE_FACTORY ? 'the image factory' : r));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
