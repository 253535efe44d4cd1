/** The two colours of a blue/green fleet: one serves (live), the other is idle or a canary. */
export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

export const otherColour = (c: Colour): Colour => (c === 'blue' ? 'green' : 'blue');

/** One value per colour. */
export interface ColourMap<T> {
  readonly blue: T;
  readonly green: T;
}

/** A ColourMap built by calling `f` for each colour. */
export const byColour = <T>(f: (colour: Colour) => T): ColourMap<T> => ({
  blue: f('blue'),
  green: f('green'),
});
