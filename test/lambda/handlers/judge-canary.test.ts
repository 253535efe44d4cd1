import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import * as module from '../../../lambda/handlers/judge-canary';
import { metrics } from '../../../lambda/runtime/handler';
import { at, canaryPlan, canaryProgress, execution, NOW } from '../fixtures';
import { inputsOf } from '../sdk-mocks';
import { compose, stepVariables } from './compose';

const cw = mockClient(CloudWatchClient);

const handler = compose(module, stepVariables('judge-canary'));

describe('judge-canary handler', () => {
  it('measures and reads alarms through its CloudWatch client, up to the current time', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'req0', Values: [1000] },
        { Id: 'err0', Values: [0] },
        { Id: 'p990', Values: [0.3] },
        { Id: 'req1', Values: [1000] },
        { Id: 'err1', Values: [0] },
        { Id: 'p991', Values: [0.3] },
      ],
    });
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const p = await handler({
      execution: execution(),
      plan: canaryPlan(),
      progress: canaryProgress({ step: 0, weight: 10, stepStartedAt: at(-180).toISOString() }),
    });
    expect(p).toMatchObject({ step: 1, done: false, judgements: [{ verdict: 'pass' }] });
    expect(inputsOf(cw, GetMetricDataCommand)[0]).toMatchObject({ StartTime: at(-180), EndTime: NOW });
    expect(inputsOf(cw, DescribeAlarmsCommand)).toHaveLength(1);
  });

  it('counts a step as passed when it has baked its time, not at a look while it bakes', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const added = jest.spyOn(metrics, 'addMetric');
    const look = (startedSecondsAgo: number) =>
      handler({
        execution: execution(),
        plan: canaryPlan(),
        progress: canaryProgress({
          step: 0,
          weight: 10,
          stepStartedAt: at(-startedSecondsAgo).toISOString(),
        }),
      });
    expect(await look(60)).toMatchObject({ step: 0, baking: true });
    expect(added.mock.calls.map(([name]) => name)).not.toContain('CanaryStepPassed');
    expect(await look(180)).toMatchObject({ step: 1, baking: false });
    expect(added.mock.calls.map(([name]) => name)).toContain('CanaryStepPassed');
    added.mockRestore();
  });
});
