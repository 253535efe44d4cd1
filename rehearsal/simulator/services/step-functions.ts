import type {
  DescribeExecutionCommandInput,
  DescribeExecutionCommandOutput,
  SendTaskFailureCommandInput,
  SendTaskFailureCommandOutput,
  SendTaskSuccessCommandInput,
  SendTaskSuccessCommandOutput,
  StartExecutionCommandInput,
  StartExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { SimulatorUnsupportedError } from '../errors';

type Out<T> = Omit<T, '$metadata'>;

/** The Step Functions calls the deployed functions make: starting executions, watching them, answering task tokens. */
export interface StepFunctionsApi {
  startExecution(input: StartExecutionCommandInput): Out<StartExecutionCommandOutput>;
  describeExecution(input: DescribeExecutionCommandInput): Out<DescribeExecutionCommandOutput>;
  sendTaskSuccess(input: SendTaskSuccessCommandInput): Out<SendTaskSuccessCommandOutput>;
  sendTaskFailure(input: SendTaskFailureCommandInput): Out<SendTaskFailureCommandOutput>;
}

/**
 * A single environment's rehearsal runs its own executions and nothing in it calls Step
 * Functions; a train rehearsal, which runs the functions that do, answers these calls itself.
 */
export class NoStepFunctions implements StepFunctionsApi {
  startExecution(): never {
    throw unsupported('StartExecution');
  }
  describeExecution(): never {
    throw unsupported('DescribeExecution');
  }
  sendTaskSuccess(): never {
    throw unsupported('SendTaskSuccess');
  }
  sendTaskFailure(): never {
    throw unsupported('SendTaskFailure');
  }
}

const unsupported = (command: string) =>
  new SimulatorUnsupportedError(
    `a single environment's rehearsal does not simulate Step Functions ${command}Command; rehearse a "train" scenario to run the functions that call it`,
  );
