/** Text helpers shared by every template filler: HTML escaping and dates as readers write them. */

/** Escapes text for HTML and XHTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A date as readers of the language write it ("2023年11月15日", "15 November 2023"); the input when unparsable. */
export function formatDate(date: string | undefined, lang: string): string {
  if (!date) return '';
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const parsed = dateOnly ? new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]))) : new Date(date);
  if (Number.isNaN(parsed.getTime())) return date;
  try {
    return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(parsed);
  } catch {
    return date;
  }
}
