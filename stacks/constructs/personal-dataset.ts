// A training dataset bucket that holds personal data, with the safeguards a platform team
// expects: classification tags, SSE-KMS with a customer-managed key, public access block,
// TLS-only bucket policy, access logging and versioning.

import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { placed, TAG, type PlacementProps } from "./common";

/** Data classification values the policies understand (policies/data decides which count as personal). */
export type DataClassification = "personal" | "sensitive-personal" | "pseudonymized" | "anonymized" | "public";

/** Options of a PersonalDataset. */
export interface PersonalDatasetProps extends PlacementProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Defaults to `personal`. */
  readonly classification?: DataClassification;
  /** Free-text purpose tag, e.g. `llm-fine-tuning`. */
  readonly purpose?: string;
  /** Extra tags merged into every resource of the dataset. */
  readonly tags?: Record<string, string>;
  /**
   * Existing bucket for access logs; a dedicated log bucket (public access blocked, policy
   * letting the S3 logging service write) is created when omitted. A supplied bucket must
   * already allow `logging.s3.amazonaws.com` to write.
   */
  readonly logBucket?: S3Bucket;
}

/** An S3 dataset bucket for personal data with KMS CMK encryption, TLS-only access, logging and versioning. */
export class PersonalDataset extends Construct {
  /** The dataset bucket. */
  readonly bucket: S3Bucket;
  /** The customer-managed key encrypting the bucket. */
  readonly key: KmsKey;
  /** The bucket receiving server access logs. */
  readonly logBucket: S3Bucket;
  /** Tags applied to the dataset bucket (classification included). */
  readonly tags: Record<string, string>;
  /** Versioning of the dataset bucket (replication must depend on it). */
  readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: PersonalDatasetProps) {
    super(scope, id);
    const where = placed(props);
    this.tags = {
      [TAG.classification]: props.classification ?? "personal",
      ...(props.purpose ? { [TAG.purpose]: props.purpose } : {}),
      ...props.tags,
    };

    this.key = new KmsKey(this, "key", {
      ...where,
      description: `CMK for dataset ${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Not the classification tags: the key protects personal data but is not personal data.
      tags: { ...props.tags, Protects: props.bucketName },
    });

    this.bucket = new S3Bucket(this, "bucket", {
      ...where,
      bucket: props.bucketName,
      forceDestroy: false,
      tags: this.tags,
    });

    const logPrefix = `${props.bucketName}/`;
    if (props.logBucket) {
      this.logBucket = props.logBucket;
    } else {
      this.logBucket = new S3Bucket(this, "access-logs", {
        ...where,
        bucket: `${props.bucketName}-access-logs`,
        tags: { ...props.tags, [TAG.classification]: "internal-logs" },
      });
      new S3BucketPublicAccessBlock(this, "access-logs-public-access-block", {
        ...where,
        bucket: this.logBucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      // With ACLs disabled (the S3 default) server access logs are delivered under a bucket policy.
      new S3BucketPolicy(this, "access-logs-delivery", {
        ...where,
        bucket: this.logBucket.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "S3ServerAccessLogsDelivery",
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `${this.logBucket.arn}/${logPrefix}*`,
              Condition: { ArnLike: { "aws:SourceArn": this.bucket.arn } },
            },
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.logBucket.arn, `${this.logBucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      });
    }

    new S3BucketPublicAccessBlock(this, "public-access-block", {
      ...where,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      ...where,
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });

    this.versioning = new S3BucketVersioningA(this, "versioning", {
      ...where,
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });

    new S3BucketLoggingA(this, "logging", {
      ...where,
      bucket: this.bucket.id,
      targetBucket: this.logBucket.id,
      targetPrefix: logPrefix,
    });

    new S3BucketPolicy(this, "tls-only", {
      ...where,
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
  }

  /** ARN of the dataset bucket (a token resolving to `${aws_s3_bucket.<id>.arn}`). */
  get arn(): string {
    return this.bucket.arn;
  }

  /** `s3://<bucket>/<prefix>` built from the bucket reference, so the policy can trace the path. */
  s3Uri(prefix = ""): string {
    return `s3://${this.bucket.bucket}/${prefix}`;
  }
}
