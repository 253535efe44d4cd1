/**
 * The AMIs of one region, as EC2 keeps them for every account there: an AMI belongs to the
 * account that owns it, is launchable by that account, by the accounts its launch permissions
 * name, or by everyone when public; and its tags are per account (an account sees and writes its
 * own tags on an AMI it may launch, never another account's).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html (tags are per account)
 */
export interface CatalogImage {
  readonly imageId: string;
  readonly name: string;
  readonly creationDate: Date;
  /** The account that owns it. */
  readonly ownerId: string;
  /** Deregistered: DescribeImages no longer finds it and launches from it fail. */
  exists: boolean;
  /** Launchable by every account. */
  public: boolean;
  /** The accounts besides the owner that may launch it. */
  readonly launchPermissions: Set<string>;
  /** Each account's own tags on it. */
  readonly tags: Map<string, Map<string, string>>;
  /**
   * The KMS key its snapshots are encrypted with; `aws/ebs` (the account's default key) cannot
   * be shared, so such an AMI is launchable by its owner only.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html
   */
  readonly kmsKeyId?: string;
}

/** The account-managed default EBS key: an AMI encrypted with it cannot be shared. */
export const DEFAULT_EBS_KEY = 'alias/aws/ebs';

export class ImageCatalog {
  private readonly images = new Map<string, CatalogImage>();

  /** Adds an image unless one with its id is there already (several fleets list the same images). */
  add(
    image: Omit<CatalogImage, 'tags' | 'launchPermissions'> & { readonly tags?: Record<string, string> },
  ): void {
    if (this.images.has(image.imageId)) return;
    const { tags, ...rest } = image;
    this.images.set(image.imageId, {
      ...rest,
      launchPermissions: new Set(),
      tags: new Map([[image.ownerId, new Map(Object.entries(tags ?? {}))]]),
    });
  }

  get(imageId: string): CatalogImage | undefined {
    return this.images.get(imageId);
  }

  /** Every image, deregistered ones too. */
  all(): CatalogImage[] {
    return [...this.images.values()];
  }

  /**
   * Whether `account` may see and launch the image: its own, public, or shared with it under a
   * key it can be shared with.
   */
  launchableBy(image: CatalogImage, account: string): boolean {
    if (image.ownerId === account) return true;
    if (image.kmsKeyId === DEFAULT_EBS_KEY) return false;
    return image.public || image.launchPermissions.has(account);
  }

  /** The tags `account` sees on the image: its own. */
  tagsOf(image: CatalogImage, account: string): Map<string, string> {
    let own = image.tags.get(account);
    if (!own) {
      own = new Map();
      image.tags.set(account, own);
    }
    return own;
  }
}
