/** An AWS error as the SDK raises it for a code it has no class for (EC2, ELB, CloudWatch). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}
