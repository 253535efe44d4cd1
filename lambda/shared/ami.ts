/**
 * What an AMI id looks like, in one place: the configuration, the workflow's input, the product's
 * events, the operator tools and the rehearsal's scenarios all hold images to this one rule.
 *
 * EC2 ids are the resource's prefix and 8 hexadecimal characters (ids made before 2016) or 17
 * (since): `ami-` and anything else is not an AMI id, whatever its length.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
 */
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The rule an AMI id breaks, after the name of the field that holds it. */
export const AMI_ID_RULE =
  'must be an AMI id: ami- and 8 or 17 lowercase hex digits, like ami-0123456789abcdef0';

export function isAmiId(value: unknown): value is string {
  return typeof value === 'string' && AMI_ID.test(value);
}
