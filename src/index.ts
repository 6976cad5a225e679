/**
 * Imprint's programmatic API:
 *
 *   import { publish, defineConfig } from 'imprint';
 *
 * plus the configuration helpers the CLI uses, the parse stage, and every unified plugin of the
 * pipeline (with its options type) for use in other unified pipelines.
 */
export { publish, findArticles, findDocuments, type PublishOptions, type PublishReport } from './publish.js';
export { defineConfig, resolveConfig, configSchema, pageDimensions, PAGE_SIZES, type Config, type UserConfig } from './config/schema.js';
export { loadConfigFile, findConfigFile, formatConfigError, CONFIG_FILE_NAMES, type LoadedConfig } from './config/file.js';
export { articleConfig, mergeConfig, frontMatterConfig, FRONT_MATTER_CONFIG_KEYS, type ArticleConfigOptions } from './config/merge.js';
export { configFields, type ConfigField } from './config/reference.js';
export { jsonReport, type JsonReport, type JsonDocument, type JsonOutput } from './diagnostics/json-report.js';
export { startPreview, type Preview, type PreviewOptions } from './preview/session.js';
export { checkPdf, type PdfCheck, type PdfFacts, type CheckProblem } from './check/pdf.js';
export { diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics/report.js';
export { DocumentError, UsageError, ConfigError, type ConfigProblem } from './errors.js';
export type * from './model.js';
export { FORMATS } from './model.js';
export { parseArticle, createProcessor } from './parse/article.js';

// unified plugins (src/plugins/*.ts), each with its options
export { default as remarkFrontMatterMeta, type FrontMatterMetaOptions } from './plugins/remark-front-matter-meta.js';
export { default as remarkRepairWrappedUrls, type RepairWrappedUrlsOptions } from './plugins/remark-repair-wrapped-urls.js';
export { default as remarkTitle, type TitleOptions } from './plugins/remark-title.js';
export { default as remarkDropRawHtml, type DropRawHtmlOptions } from './plugins/remark-drop-raw-html.js';
export { default as rehypeArticleMeta, type ArticleMetaOptions } from './plugins/rehype-article-meta.js';
export { default as rehypeAuditAccessibility } from './plugins/rehype-audit-accessibility.js';
export { default as rehypeByline, type BylineOptions } from './plugins/rehype-byline.js';
export { default as rehypeCjkLineBreaks, type CjkLineBreaksOptions } from './plugins/rehype-cjk-line-breaks.js';
export { default as rehypeDetectLang, type DetectLangOptions } from './plugins/rehype-detect-lang.js';
export { default as rehypeFigureCredits, type FigureCreditsOptions } from './plugins/rehype-figure-credits.js';
export { default as rehypeFigures, type FiguresOptions } from './plugins/rehype-figures.js';
export { default as rehypeHeadings, type HeadingsOptions } from './plugins/rehype-headings.js';
export { default as rehypeImageAlt, repeatsCaption } from './plugins/rehype-image-alt.js';
export { default as rehypeRightsNotice, type RightsNoticeOptions } from './plugins/rehype-rights-notice.js';
export { default as rehypeSourceNotes, type SourceNotesOptions } from './plugins/rehype-source-notes.js';
