import { withDeployedResources } from '../../../lambda/runtime/deployed-resources';
import { DEPLOYED_RESOURCES_VARIABLE, deployedResourcesOf } from '../../../lambda/shared/deployed-resources';
import { execution, settings } from '../fixtures';

/** Run `body` with the function's resources variable set to `value`, then put it back. */
function deployedAs(value: string, body: () => void): void {
  const saved = process.env[DEPLOYED_RESOURCES_VARIABLE];
  process.env[DEPLOYED_RESOURCES_VARIABLE] = value;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env[DEPLOYED_RESOURCES_VARIABLE];
    else process.env[DEPLOYED_RESOURCES_VARIABLE] = saved;
  }
}

describe('withDeployedResources', () => {
  const event = () => ({
    execution: execution(),
    settings: {
      ...settings(),
      table: 'someone-elses-table',
      groups: { blue: 'other-blue', green: 'other-green' },
      canary: { ...settings().canary, bakeSeconds: 42 },
    },
  });

  it("replaces the event's resources with the deployment's and keeps its tuning", () => {
    const deployed = deployedResourcesOf({ ...settings(), table: 'immutable-dev-ledger' });
    deployedAs(JSON.stringify(deployed), () => {
      const e = withDeployedResources(event());
      expect(e.settings.table).toBe('immutable-dev-ledger');
      expect(e.settings.groups).toEqual(settings().groups);
      expect(e.settings.canary.bakeSeconds).toBe(42);
    });
  });

  it('fails naming the variable when it is missing, malformed or incomplete', () => {
    deployedAs('', () =>
      expect(() => withDeployedResources(event())).toThrow(
        `environment variable ${DEPLOYED_RESOURCES_VARIABLE} is not set`,
      ),
    );
    deployedAs('{not json', () =>
      expect(() => withDeployedResources(event())).toThrow(`${DEPLOYED_RESOURCES_VARIABLE} is not JSON`),
    );
    deployedAs(JSON.stringify({ environment: 'dev' }), () =>
      expect(() => withDeployedResources(event())).toThrow(
        /lacks groups, targetGroups, .*parameters; redeploy/,
      ),
    );
  });
});
