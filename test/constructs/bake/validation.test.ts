import { bakeStack, devBakeProps } from './bake-stack';

describe('BakePipeline validation', () => {
  const base = devBakeProps();

  it('accepts the configured factory', () => {
    expect(() => bakeStack()).not.toThrow();
  });

  it('fails when keepAtLeast is more than an Image Builder rule can retain', () => {
    expect(() => bakeStack({ lifecycle: { ...base.lifecycle, keepAtLeast: 11 } })).toThrow(
      'BakePipeline (web): lifecycle.keepAtLeast must be a whole number 1-10 (Image Builder RetainAtLeast), got 11',
    );
  });

  it('fails when AMIs would be deleted before they are deprecated', () => {
    expect(base.lifecycle.deprecateAfterDays).toBe(30);
    expect(() => bakeStack({ lifecycle: { ...base.lifecycle, deleteAfterDays: 30 } })).toThrow(
      'lifecycle.deleteAfterDays must be greater than lifecycle.deprecateAfterDays (30), got 30',
    );
  });

  it('fails when the recipe version is not an Image Builder semantic version', () => {
    expect(() => bakeStack({ recipeVersion: '1.0' })).toThrow(
      /recipeVersion must be a semantic version major\.minor\.patch .* with each node 0-1073741823, got "1\.0"/,
    );
    expect(() => bakeStack({ recipeVersion: '1.0.1073741824' })).toThrow(/got "1\.0\.1073741824"/);
  });

  it('fails when the root volume is smaller than the AL2023 root', () => {
    expect(() => bakeStack({ rootVolumeGiB: 4 })).toThrow(
      /rootVolumeGiB must be a whole number 8-16384 \(gp3, at least the 8 GiB AL2023 root\), got 4/,
    );
  });

  it('fails when the port or health path could not be served', () => {
    expect(() => bakeStack({ app: { ...base.app, port: 0 } })).toThrow(
      'app.port must be a whole number 1-65535, got 0',
    );
    expect(() => bakeStack({ app: { ...base.app, healthCheckPath: 'health' } })).toThrow(
      'app.healthCheckPath must be an absolute path such as /health, got "health"',
    );
  });

  it('fails when the artifact is not an s3:// or https:// URI', () => {
    expect(() => bakeStack({ app: { ...base.app, artifactUri: 'http://example.com/web.tgz' } })).toThrow(
      'app.artifactUri must be an s3:// or https:// URI, got "http://example.com/web.tgz"',
    );
  });

  it('fails when no instance type is given', () => {
    expect(() => bakeStack({ instanceTypes: [] })).toThrow(
      'instanceTypes must list at least one instance type, got []',
    );
  });

  it('reports every broken rule at once', () => {
    expect(() => bakeStack({ app: { ...base.app, port: 70000 }, logRetentionDays: 0 })).toThrow(
      'BakePipeline (web): app.port must be a whole number 1-65535, got 70000; logRetentionDays must be a whole number 1-3653, got 0',
    );
  });
});
