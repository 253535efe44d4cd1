import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedSettings, OperationsError } from '../../tools/operations/world';
import { settings } from '../lambda/fixtures';

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

const machine = (name: string) => ({
  name,
  stateMachineArn: `arn:aws:states:eu-west-1:111122223333:stateMachine:${name}`,
  type: 'STANDARD' as const,
  creationDate: new Date(0),
});

describe('deployedSettings', () => {
  it("reads the environment's names from its rollout state machine, on any page", async () => {
    sfn
      .on(ListStateMachinesCommand, { nextToken: undefined })
      .resolves({ stateMachines: [machine('other')], nextToken: 'p2' })
      .on(ListStateMachinesCommand, { nextToken: 'p2' })
      .resolves({ stateMachines: [machine('immutable-dev-rollout')] });
    sfn.on(DescribeStateMachineCommand).resolves({
      definition: JSON.stringify({ States: { 'Load Settings': { Parameters: { settings: settings() } } } }),
    });
    expect(await deployedSettings(new SFNClient({}), 'dev')).toEqual(settings());
    expect(sfn.commandCalls(DescribeStateMachineCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: machine('immutable-dev-rollout').stateMachineArn,
    });
  });

  it('fails, naming the state machine, when the environment is not deployed there', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    await expect(deployedSettings(new SFNClient({}), 'prod')).rejects.toThrow(OperationsError);
    await expect(deployedSettings(new SFNClient({}), 'prod')).rejects.toThrow(
      'no state machine immutable-prod-rollout in this account and region',
    );
  });
});
