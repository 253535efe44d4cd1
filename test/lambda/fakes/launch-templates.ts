import type { LaunchTemplates } from '../../../lambda/fleet/ports';
import { awsError } from '../aws-errors';
import { Failures } from './failures';

/** A version the workflow created. */
export interface CreatedVersion {
  readonly templateId: string;
  readonly version: string;
  readonly imageId: string;
  readonly description: string;
}

/** Launch templates held in memory: each new version is numbered after the template's latest. */
export class FakeLaunchTemplates implements LaunchTemplates {
  private readonly latest = new Map<string, number>();
  readonly created: CreatedVersion[] = [];
  private readonly byKey = new Map<string, CreatedVersion>();
  readonly failures = new Failures<'createVersion'>();

  /** `templates`: each template's latest version number. */
  constructor(templates: Record<string, number> = {}) {
    for (const [id, version] of Object.entries(templates)) this.latest.set(id, version);
  }

  async createVersion(
    templateId: string,
    imageId: string,
    description: string,
    idempotencyKey: string,
  ): Promise<string> {
    await this.failures.check('createVersion');
    const earlier = this.byKey.get(idempotencyKey);
    if (earlier) {
      if (earlier.imageId !== imageId || earlier.templateId !== templateId)
        throw awsError('IdempotentParameterMismatch', `${idempotencyKey} was used for another request`);
      return earlier.version;
    }
    const latest = this.latest.get(templateId);
    if (latest === undefined)
      throw awsError(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${templateId}, does not exist.`,
      );
    const version = String(latest + 1);
    this.latest.set(templateId, latest + 1);
    this.created.push({ templateId, version, imageId, description });
    this.byKey.set(idempotencyKey, { templateId, version, imageId, description });
    return version;
  }
}
