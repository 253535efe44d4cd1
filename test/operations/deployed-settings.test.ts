import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedSettings, OperationsError } from '../../tools/operations/world';
import { settings } from '../lambda/fixtures';

const ssm = mockClient(SSMClient);
beforeEach(() => ssm.reset());

describe('deployedSettings', () => {
  it("reads the environment's names from the deployment its stack describes", async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: {
        Value: JSON.stringify({ settings: settings(), rolloutStateMachineArn: 'arn:aws:states:x' }),
      },
    });
    expect(await deployedSettings(new SSMClient({}), 'dev')).toEqual(settings());
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/immutable/dev/deployment',
    });
  });

  it('fails, naming the parameter, when the environment is not deployed there', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));
    await expect(deployedSettings(new SSMClient({}), 'prod')).rejects.toThrow(OperationsError);
    await expect(deployedSettings(new SSMClient({}), 'prod')).rejects.toThrow(
      'no parameter /immutable/prod/deployment in this account and region: is prod deployed here?',
    );
  });

  it('fails when the parameter describes no deployment', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"settings":{}}' } });
    await expect(deployedSettings(new SSMClient({}), 'prod')).rejects.toThrow(
      '/immutable/prod/deployment does not describe a deployment; deploy the prod stack again',
    );
  });
});
