// The AWS SDK's own XML parser (a dependency of every SDK client): it rejects mismatched and
// unclosed tags, which is what a hand-written SVG most easily gets wrong.
import { parseXML } from '@aws-sdk/xml-builder';
import { AMI_ID } from '../../lambda/shared/ami';

/**
 * The `--json` result as DESIGN.md "Rehearsal contract" documents it. Tools depend on these
 * fields: every one must be present, with its type.
 */
export function expectContractShape(json: Record<string, unknown>): void {
  expect(json).toEqual(
    expect.objectContaining({
      status: expect.stringMatching(/^(SUCCEEDED|FAILED|ABORTED|TIMED_OUT)$/) as string,
      simulatedSeconds: expect.any(Number) as number,
      floorSeconds: expect.any(Number) as number,
      live: {
        image: expect.stringMatching(AMI_ID) as string,
        weights: { blue: expect.any(Number) as number, green: expect.any(Number) as number },
        trafficByImage: expect.any(Object) as object,
        instancesByImage: expect.any(Object) as object,
      },
      instancesReplaced: expect.any(Number) as number,
      minHealthyFraction: expect.any(Number) as number,
      transitions: expect.any(Number) as number,
      lambdaInvocations: expect.any(Number) as number,
      apiCalls: expect.any(Object) as object,
    }),
  );
  const allowed = [
    'status',
    'error',
    'cause',
    'simulatedSeconds',
    'floorSeconds',
    'live',
    'instancesReplaced',
    'minHealthyFraction',
    'transitions',
    'lambdaInvocations',
    'apiCalls',
    'timeToSafetySeconds',
    'secondExecution',
    'automaticRestores',
    // the scenario's interactive-access fault: which instance, and what followed
    'interactiveAccess',
  ];
  expect(json.timeToSafetySeconds === null || typeof json.timeToSafetySeconds === 'number').toBe(true);
  expect(Object.keys(json).filter((k) => !allowed.includes(k))).toEqual([]);
  if (json.interactiveAccess !== undefined)
    expect(json.interactiveAccess).toEqual(
      expect.objectContaining({
        instanceId: expect.stringMatching(/^i-/) as string,
        api: expect.any(String) as string,
        outcome: expect.stringMatching(/^(replacing|deferred|alerted|ignored)$/) as string,
        instanceState: expect.any(String) as string,
      }),
    );
  if (json.status !== 'SUCCEEDED') {
    expect(json.error).toEqual(expect.any(String));
    expect(json.cause).toEqual(expect.any(String));
  }
  for (const counts of [
    (json.live as { trafficByImage: object }).trafficByImage,
    (json.live as { instancesByImage: object }).instancesByImage,
    json.apiCalls as object,
  ])
    for (const [key, value] of Object.entries(counts)) {
      expect(typeof key).toBe('string');
      expect(value).toEqual(expect.any(Number));
    }
}

type XmlElement = Record<string, unknown>;
const list = (v: unknown): XmlElement[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]) as XmlElement[];

/**
 * Parse the timeline picture as XML and check what it must show: an SVG root, one area per
 * image (titled with its id), the traffic line, and the outcome in the headline.
 */
export function expectTimelineSvg(svg: string, expected: { images: string[]; status: string }): void {
  const doc = parseXML(svg) as { svg?: XmlElement };
  const root = doc.svg;
  expect(root).toBeDefined();
  expect(root).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', width: '960', height: '420' });
  const areas = list(root?.polygon);
  expect(areas.map((p) => p.title).sort()).toEqual([...expected.images].sort());
  for (const area of areas) expect(area.points).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
  expect(list(root?.polyline)).toHaveLength(1);
  const textOf = (t: XmlElement | string) => (typeof t === 'string' ? t : (t['#text'] as string | undefined));
  const headline = list(root?.text).map(textOf)[0];
  expect(headline).toContain(expected.status);
}
