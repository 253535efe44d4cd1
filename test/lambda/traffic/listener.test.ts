import { allOn, sameWeights } from '../../../lambda/traffic/listener';

describe('allOn and sameWeights', () => {
  it('puts everything on one colour', () => {
    expect(allOn('blue')).toEqual({ blue: 100, green: 0 });
    expect(allOn('green')).toEqual({ blue: 0, green: 100 });
  });

  it('compares both weights', () => {
    expect(sameWeights({ blue: 100, green: 0 }, allOn('blue'))).toBe(true);
    expect(sameWeights({ blue: 100, green: 1 }, allOn('blue'))).toBe(false);
    expect(sameWeights({ blue: 0, green: 100 }, allOn('blue'))).toBe(false);
  });
});
