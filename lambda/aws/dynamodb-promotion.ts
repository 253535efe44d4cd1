import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EnvironmentName } from '../shared/environments';
import type { FactoryImage, PendingApproval, PromotionStore, UpstreamRelease } from '../promotion/ports';

/**
 * Promotion's records in the environment's table, beside the lock and the ledger:
 *   pk=factory-image      sk=<ami>          what the image factory announced (JSON)
 *   pk=factory-ami        sk=<ami>          any region's AMI of it → this region's ({ imageId })
 *   pk=upstream#<env>     sk=latest         the upstream environment's current release (JSON)
 *   pk=upstream#<env>     sk=image#<ami>    an image it ever released (JSON)
 *   pk=approval           sk=<ami>          an approval a promotion waits for (JSON, task token)
 * Each item holds one JSON document: these records are read whole and never updated in part.
 */
const CONDITION_FAILED = 'ConditionalCheckFailedException';
const FACTORY = 'factory-image';
const FACTORY_AMI = 'factory-ami';
const APPROVAL = 'approval';
const upstream = (env: EnvironmentName) => `upstream#${env}`;

type Item = Record<string, AttributeValue>;
const item = (pk: string, sk: string, doc: object): Item => ({
  pk: { S: pk },
  sk: { S: sk },
  doc: { S: JSON.stringify(doc) },
});
const docOf = <T>(i: Item | undefined): T | undefined =>
  i?.doc?.S === undefined ? undefined : (JSON.parse(i.doc.S) as T);

export class DynamoDbPromotionStore implements PromotionStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {}

  async recordFactoryImage(image: FactoryImage): Promise<void> {
    await this.put(item(FACTORY, image.imageId, image));
    // AMI ids differ per region: an upstream environment elsewhere announces its own region's.
    for (const ami of new Set([image.imageId, ...image.amis.map((a) => a.imageId)]))
      await this.put(item(FACTORY_AMI, ami, { imageId: image.imageId }));
  }

  async localImage(anyRegionImageId: string): Promise<string | undefined> {
    return (await this.get<{ imageId: string }>(FACTORY_AMI, anyRegionImageId))?.imageId;
  }

  factoryImage(imageId: string): Promise<FactoryImage | undefined> {
    return this.get<FactoryImage>(FACTORY, imageId);
  }

  async recordUpstreamRelease(release: UpstreamRelease): Promise<void> {
    await this.put(item(upstream(release.environment), `image#${release.imageId}`, release));
    await this.put(item(upstream(release.environment), 'latest', release));
  }

  latestUpstreamRelease(environment: EnvironmentName): Promise<UpstreamRelease | undefined> {
    return this.get<UpstreamRelease>(upstream(environment), 'latest');
  }

  upstreamRelease(environment: EnvironmentName, imageId: string): Promise<UpstreamRelease | undefined> {
    return this.get<UpstreamRelease>(upstream(environment), `image#${imageId}`);
  }

  async putApproval(approval: PendingApproval): Promise<void> {
    await this.put(item(APPROVAL, approval.imageId, approval));
  }

  approval(imageId: string): Promise<PendingApproval | undefined> {
    return this.get<PendingApproval>(APPROVAL, imageId);
  }

  async pendingApprovals(): Promise<readonly PendingApproval[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: APPROVAL } },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).flatMap((i) => docOf<PendingApproval>(i) ?? []);
  }

  async clearApproval(imageId: string, taskToken: string): Promise<void> {
    const current = await this.approval(imageId);
    if (current?.taskToken !== taskToken) return;
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: APPROVAL }, sk: { S: imageId } },
          // Only this request's: a newer request for the same image replaced it meanwhile.
          ConditionExpression: '#doc = :doc',
          ExpressionAttributeNames: { '#doc': 'doc' },
          ExpressionAttributeValues: { ':doc': { S: JSON.stringify(current) } },
        }),
      );
    } catch (e) {
      if (!(e instanceof Error) || e.name !== CONDITION_FAILED) throw e;
    }
  }

  private async put(i: Item): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: this.table, Item: i }));
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const out = await this.db.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: { S: pk }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return docOf<T>(out.Item);
  }
}
