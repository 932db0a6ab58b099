// Puts {{key}} where the caret is (replacing a selection); at the end when the caret is unknown.
export function insertPlaceholder(
  text: string,
  key: string,
  start: number,
  end: number,
): { text: string; caret: number } {
  const tag = `{{${key}}}`;
  const from = start < 0 || start > text.length ? text.length : start;
  const to = end < from || end > text.length ? from : end;
  return { text: text.slice(0, from) + tag + text.slice(to), caret: from + tag.length };
}
