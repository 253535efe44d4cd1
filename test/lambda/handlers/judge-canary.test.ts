import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/handlers/judge-canary';
import { at, canaryPlan, canaryProgress, execution, NOW, settings } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { freezeClock } from './clock';

const cw = mockClient(CloudWatchClient);
freezeClock();
const event = () => ({
  settings: settings(),
  execution: execution(),
  plan: canaryPlan(),
  progress: canaryProgress({ step: 0, weight: 10, stepStartedAt: at(-180).toISOString() }),
});
const metrics = (canary5xx: number) =>
  cw.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'req0', Values: [1000] },
      { Id: 'err0', Values: [canary5xx] },
      { Id: 'p990', Values: [0.3] },
      { Id: 'req1', Values: [1000] },
      { Id: 'err1', Values: [0] },
      { Id: 'p991', Values: [0.3] },
    ],
  });

beforeEach(() => {
  cw.reset();
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
});

describe('judge-canary handler', () => {
  it('measures with its CloudWatch client up to the current time', async () => {
    metrics(0);
    expect(await handler(event())).toMatchObject({ step: 1, done: false });
    expect(inputsOf(cw, GetMetricDataCommand)[0]).toMatchObject({ StartTime: at(-180), EndTime: NOW });
  });

  it('fails with CanaryFailed, the name the state machine catches', async () => {
    metrics(200);
    await expect(handler(event())).rejects.toMatchObject({
      name: 'CanaryFailed',
      message: expect.stringContaining('canary 5xx ratio 0.2 > 0.05 (200/1000)'),
    });
  });
});
