/**
 * The synth benchmark's baseline: the smallest useful CDK app, one stack with one bucket,
 * synthesized by the same CLI, tsx and machine in the same run as the product.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new App();
new s3.Bucket(new Stack(app, 'OneBucket'), 'Bucket');
