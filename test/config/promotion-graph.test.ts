import { duplicateNameProblems, promotionOrder, promotionProblems } from '../../lib/config/promotion-graph';

/** `name <- from` pairs as the graph reads them: plain data, no configuration. */
const graph = (...edges: [name: string, from: string][]) =>
  edges.map(([name, from]) => ({ name, promotion: { from } }));
const names = (nodes: readonly { name: string }[]) => nodes.map((n) => n.name);

describe('promotion order', () => {
  it('puts each environment after the one it takes from, whatever the configured order', () => {
    const g = graph(['prod', 'staging'], ['staging', 'dev'], ['dev', 'image-factory']);
    expect(names(promotionOrder(g))).toEqual(['dev', 'staging', 'prod']);
  });

  it('keeps the configured order between environments ready at the same time', () => {
    const g = graph(
      ['prod-us', 'uat'],
      ['qa', 'image-factory'],
      ['prod-eu', 'uat'],
      ['uat', 'qa'],
      ['sandbox', 'image-factory'],
    );
    expect(names(promotionOrder(g))).toEqual(['qa', 'uat', 'prod-us', 'prod-eu', 'sandbox']);
  });

  it('returns every environment once, those it cannot place last in configured order', () => {
    const g = graph(['dev', 'image-factory'], ['b', 'a'], ['a', 'b'], ['c', 'nowhere']);
    expect(names(promotionOrder(g))).toEqual(['dev', 'b', 'a', 'c']);
  });
});

describe('promotion problems', () => {
  it('finds none in a forest rooted at the image factory', () => {
    const g = graph(['qa', 'image-factory'], ['uat', 'qa'], ['prod-eu', 'uat'], ['prod-us', 'uat']);
    expect(promotionProblems(g)).toEqual([]);
  });

  it('fails when a source is not configured, listing the configured ones', () => {
    const g = graph(['dev', 'image-factory'], ['prod', 'staging']);
    expect(promotionProblems(g)).toEqual([
      'prod.promotion.from must name a configured environment (dev, prod), got "staging"',
    ]);
  });

  it('fails when sources go round, naming each cycle once in the direction images would flow', () => {
    const g = graph(['dev', 'image-factory'], ['a', 'c'], ['b', 'a'], ['c', 'b'], ['x', 'y'], ['y', 'x']);
    const problems = promotionProblems(g);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^a\.promotion\.from closes a cycle \(c → a → b → c\): .*, got "c"$/);
    expect(problems[1]).toMatch(/^x\.promotion\.from closes a cycle \(y → x → y\): /);
  });

  it('does not count an environment downstream of a cycle as a cycle of its own', () => {
    const g = graph(['dev', 'image-factory'], ['a', 'b'], ['b', 'a'], ['c', 'a']);
    expect(promotionProblems(g).map((p) => p.split(' ')[0])).toEqual(['a.promotion.from']);
  });

  it('fails when nothing takes the image factory’s images, even with no environment at all', () => {
    expect(promotionProblems([])).toEqual([
      'promotion: no environment takes the image factory\'s images; set promotion.from to "image-factory" on the one that should take new images first',
    ]);
  });
});

describe('duplicate names', () => {
  it('fail for every repeat, naming where the name was first used', () => {
    expect(duplicateNameProblems(graph(['a', 'image-factory'], ['b', 'a'], ['a', 'b'], ['a', 'b']))).toEqual([
      expect.stringMatching(/^environments\.2\.name must differ .*\(environments\.0 is a too, .*got "a"$/),
      expect.stringMatching(/^environments\.3\.name must differ .*\(environments\.0 is a too, .*got "a"$/),
    ]);
  });

  it('find none among distinct names', () => {
    expect(duplicateNameProblems(graph(['a', 'image-factory'], ['b', 'a']))).toEqual([]);
  });
});
