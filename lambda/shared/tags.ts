import { AMI_TAGS } from '../../lib/config/naming';

/** `immutable:released-<env>` = when the image was released there; the promotion gate reads it. */
export const releasedTag = (environment: string) => `${AMI_TAGS.releasedPrefix}${environment}`;

/** The per-environment tag that keeps an AMI out of the bake pipeline's lifecycle policy. */
export const keepTag = (environment: string) => `${AMI_TAGS.keep}:${environment}`;
