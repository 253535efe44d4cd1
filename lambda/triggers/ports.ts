/**
 * What the EventBridge triggers ask of Step Functions. lambda/aws/ implements the port with the
 * AWS SDK; domain tests use in-memory fakes.
 */

/** Executions of one state machine (the rollout's, or the promotion's). */
export interface Executions {
  /**
   * Start one named `name` with `input`; its ARN. One execution per name: starting a running
   * one again with the same input returns it, anything else fails (ExecutionAlreadyExists).
   * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
   */
  start(name: string, input: object): Promise<string>;
}
