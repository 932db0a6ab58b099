// CSV injection: a spreadsheet runs a cell that starts with = + - @ (or tab/CR) as a formula.
// A leading apostrophe makes it text (the customer import removes it again). The same after every
// line break inside a cell (notes are multi-line): a program that splits the cell there, or a
// quoting slip, must not find a formula at the start of a line. Used by every CSV the API writes.
export function neutralizeCell(value: string): string {
  return value.replace(/(^|\r\n|\r|\n)(?=[=+\-@\t\r])/g, (_, start: string) => `${start}'`);
}
