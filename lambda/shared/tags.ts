// The AMI tag names the workflow writes, shared with the CDK side (lifecycle exclusions).
export { keepTag, releasedTag } from '../../lib/config/naming';
