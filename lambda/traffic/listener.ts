import type { Colour, ColourMap } from '../shared/colours';

/**
 * The listener's weighted forward action is the one switch between colours. Weights are
 * percentages (ALB accepts 0-999 and routes by their ratio).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */

/** Every request to one colour. */
export const allOn = (colour: Colour): ColourMap<number> =>
  colour === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };

/** Whether two splits send each colour the same share. */
export const sameWeights = (a: ColourMap<number>, b: ColourMap<number>) =>
  a.blue === b.blue && a.green === b.green;
