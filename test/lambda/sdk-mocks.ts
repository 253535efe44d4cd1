import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { GetParameterCommandInput, PutParameterCommandInput } from '@aws-sdk/client-ssm';
import type { AwsStub } from 'aws-sdk-client-mock';

/**
 * The inputs of every call of one command, in the order they were sent. Tests compare
 * these (what was asked of AWS), never the interleaving of different commands.
 */
export function inputsOf<TInput extends object, TCmdInput extends TInput>(
  stub: AwsStub<TInput, any, any>,
  command: new (input: TCmdInput) => { readonly input: TCmdInput },
): TCmdInput[] {
  return stub.commandCalls(command as never).map((call) => (call.args[0] as { input: TCmdInput }).input);
}

interface ParameterCommands {
  readonly GetParameterCommand: typeof GetParameterCommand;
  readonly PutParameterCommand: typeof PutParameterCommand;
}

/**
 * Make an SSM stub answer as Parameter Store does: each PutParameter stores a new version of its
 * value, GetParameter (by name or `name:version`) reads back what was stored, and a parameter never
 * written reads as `initial`. A handler that writes an `aws:ec2:image` value reads it back until
 * it is stored (lambda/aws/ssm.ts): answering `initial` whatever was written would keep it
 * polling for 6.5 s, then carry on with a warning. `commands` are the stub's own classes, for a
 * client loaded in an isolated module registry.
 */
export function storeParameters(
  ssm: AwsStub<any, any, any>,
  initial: string,
  commands: ParameterCommands = { GetParameterCommand, PutParameterCommand },
): void {
  const versions = new Map<string, string[]>();
  ssm.on(commands.PutParameterCommand).callsFake((input: PutParameterCommandInput) => {
    const stored = [...(versions.get(input.Name ?? '') ?? []), input.Value ?? ''];
    versions.set(input.Name ?? '', stored);
    return { Version: stored.length };
  });
  ssm.on(commands.GetParameterCommand).callsFake((input: GetParameterCommandInput) => {
    const [, name = '', version] = /^(.*?)(?::(\d+))?$/.exec(input.Name ?? '') ?? [];
    const stored = versions.get(name);
    if (!stored) return { Parameter: { Name: name, Value: initial } };
    const value = stored[version ? Number(version) - 1 : stored.length - 1];
    if (value === undefined)
      throw Object.assign(new Error(`no version ${version} of ${name}`), {
        name: 'ParameterVersionNotFound',
      });
    return { Parameter: { Name: name, Value: value } };
  });
}
