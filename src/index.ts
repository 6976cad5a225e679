/** Imprint's programmatic API. */
export { publish, findArticles, type PublishOptions, type PublishReport } from './publish.js';
export { defineConfig, resolveConfig, configSchema, type Config, type UserConfig } from './config.js';
export type * from './model.js';
export { parseArticle, createProcessor } from './stages/parse.js';
