/**
 * Dates as clippings state them, with their year: 2023-11-15, 2023/11/15, 2023.11.15,
 * 2023年11月15日, 2023년 11월 15일, November 15, 2023, 15 Nov 2023 (a weekday and a time may
 * stand beside them). A date without its year (11月14日) or in an order that is not certain
 * (11/15/2023, 15.11.2023) is never taken.
 *
 * A dateline is a short line that is the date, alone or with a label before it (发布时间：,
 * Published, Updated) or a source after it (2023-11-16 07:32 来源：观察者网): the date the article
 * states for itself, not one its text talks about ("2023年11月15日，拜登抵达旧金山。").
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAME = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const YEAR = '((?:19|20)\\d{2})';

/** The forms of a date, each with the order of its year, month and day groups. */
const FORMS: Array<{ source: string; order: ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd'] }> = [
  { source: `${YEAR}\\s*[-/.]\\s*(\\d{1,2})\\s*[-/.]\\s*(\\d{1,2})(?!\\d)`, order: ['y', 'm', 'd'] },
  { source: `${YEAR}\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号號]`, order: ['y', 'm', 'd'] },
  { source: `${YEAR}\\s*년\\s*(\\d{1,2})\\s*월\\s*(\\d{1,2})\\s*일`, order: ['y', 'm', 'd'] },
  { source: `${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+${YEAR}`, order: ['m', 'd', 'y'] },
  { source: `(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME},?\\s+${YEAR}`, order: ['d', 'm', 'y'] },
];

const WEEKDAY = '(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\\.?,?|[（(]?(?:星期|礼拜|禮拜|周|週)[一二三四五六日天][）)]?|[（(]?[月火水木金土日]曜日?[）)]?|[（(]?[월화수목금토일]요일[）)]?)';
const TIME = '(?:\\d{1,2}[:：]\\d{2}(?:[:：]\\d{2})?(?:\\s*[AaPp]\\.?[Mm]\\.?)?(?:\\s*(?:[A-Z]{2,5}|UTC|GMT)(?:\\s*[+-]\\d{1,2}(?::?\\d{2})?)?)?|\\d{1,2}\\s*[时時点點]\\s*\\d{1,2}\\s*分(?:\\s*\\d{1,2}\\s*秒)?)';
const LABEL = '(?:发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|发表于|發表於|发布于|發布於|更新时间|更新時間|更新于|更新於|时间|時間|日期|公開日|更新日|게시일|작성일|입력|수정|Published(?:\\s+on)?|Posted(?:\\s+on)?|Updated(?:\\s+on)?|Last updated|Date|Dated)';
/** What may follow a dateline's date: a separator and a short source or author, or nothing. */
const TAIL = /^\s*(?:(?:[|｜·•/—–-]|来源[:：]|來源[:：]|出处[:：]|出處[:：]|Source:|By\b|作者[:：]|编辑[:：]|編輯[:：])?\s*[^\s。！？!?；;，,.][^。！？!?；;，,]{0,29})?$/i;

function validDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first date with its year in `text`: ISO date, where it starts and ends. */
export function findDate(text: string): { date: string; start: number; end: number } | undefined {
  let best: { date: string; start: number; end: number } | undefined;
  for (const form of FORMS) {
    const re = new RegExp(form.source, 'gi');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const parts: Record<'y' | 'm' | 'd', number> = { y: 0, m: 0, d: 0 };
      form.order.forEach((key, i) => {
        const value = m?.[i + 1] ?? '';
        parts[key] = /^\d+$/.test(value) ? Number(value) : (MONTHS[value.slice(0, 3).toLowerCase()] ?? 0);
      });
      const date = validDate(parts.y, parts.m, parts.d);
      if (date && (!best || m.index < best.start)) best = { date, start: m.index, end: m.index + m[0].length };
      if (date) break;
    }
  }
  return best;
}

/** The date a dateline states (YYYY-MM-DD), or undefined when `line` is not a dateline. */
export function datelineDate(line: string): string | undefined {
  const text = line
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.。]$/, '')
    .replace(/^[（(【[]\s*(.*?)\s*[）)】\]]$/, '$1');
  if (text.length === 0 || text.length > 80) return undefined;
  const found = findDate(text);
  if (!found) return undefined;
  const strip = (value: string): string =>
    value
      .replace(new RegExp(`^\\s*${WEEKDAY}`, 'i'), '')
      .replace(new RegExp(`^\\s*${TIME}`), '')
      .replace(new RegExp(`^\\s*${WEEKDAY}`, 'i'), '')
      .replace(new RegExp(`^\\s*${TIME}`), '');
  // Before the date: nothing, a weekday, a label, or a source and a separator.
  const head = text
    .slice(0, found.start)
    .replace(new RegExp(`${WEEKDAY}\\s*$`, 'i'), '')
    .replace(/[,，]?\s*$/, '')
    .replace(new RegExp(`${TIME}\\s*$`), '')
    .trim();
  const beforeLabel = head.replace(new RegExp(`${LABEL}\\s*[:：]?$`, 'i'), '').trim();
  const headOk = beforeLabel === '' || /^[^。！？!?；;，,.]{1,30}\s*[|｜·•/—–]$/.test(beforeLabel);
  if (!headOk) return undefined;
  // After it: a weekday or a time, then a source or nothing.
  const tail = strip(text.slice(found.end));
  return TAIL.test(tail) ? found.date : undefined;
}
