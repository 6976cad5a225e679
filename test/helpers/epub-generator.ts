/** Minimal input for epub-gen-memory through Imprint's generator (src/epub/generator.ts), with the default theme's templates. */
import type { GeneratorChapter, GeneratorInput } from '../../src/epub/generator.js';
import { epubTemplates } from '../../src/stages/build-epub.js';
import { loadTheme } from '../../src/theme/theme.js';

/** A content document: `id` is also its file name. */
export function generatorChapter(id: string, content: string): GeneratorChapter {
  return { id, filename: id, title: id, lang: 'zh-CN', content, properties: content.includes('<svg') ? ['svg'] : [], bodyClass: '', epubType: '', author: [], url: '', rights: '' };
}

export function generatorInput(chapters: GeneratorChapter[], extra: Partial<GeneratorInput> = {}): GeneratorInput {
  return {
    title: '标题 & Title',
    lang: 'zh-CN',
    authors: [],
    publisher: '',
    description: '',
    date: '2024-01-01T00:00:00.000Z',
    css: '',
    tocTitle: '目录',
    templates: epubTemplates(loadTheme('default')),
    book: {
      identifier: 'urn:uuid:00000000-0000-5000-8000-000000000000',
      creators: [],
      contentsInSpine: false,
      date: '2024-01-01',
      modified: '2024-01-01T00:00:00Z',
      subjects: [],
      accessibility: { accessModes: ['textual'], sufficient: ['textual'], features: [], hazards: ['none'], summary: '', summaryLang: 'en' },
      toc: chapters.map((chapter) => ({ label: chapter.title, href: `${chapter.filename}.xhtml`, children: [] })),
      tocDepth: 1,
      landmarks: [],
      guide: [],
      labels: { landmarks: '地标' },
    },
    chapters,
    images: new Map(),
    fonts: new Map(),
    ...extra,
  };
}
