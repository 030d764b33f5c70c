export * from './pipeline';
export * from './pipeline-task';
