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
