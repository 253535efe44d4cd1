export * from './bake-pipeline';
export * from './bake-pipeline-props';
