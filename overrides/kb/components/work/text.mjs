// Values as text in a record: line ends, single lines, and Markdown that shows a value as typed.

// Every line end a browser or a pasted file may bring (\r\n, \r) is one \n; edges trimmed,
// but the first line keeps its indentation (a pasted log's columns).
export function lines(value) {
  return String(value ?? "")
    .replace(/\r\n?/g, "\n")
    .replace(/^(?:[ \t]*\n)+/, "")
    .trimEnd();
}

// A value that must stay one line (ticket number, client, a label): any line break or control
// character becomes a space.
export function oneLine(value) {
  return String(value ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .trim();
}

// A word of the vocabulary with its «{name}» parts filled in (a part not given stays as is).
export function word(text, values) {
  return text.replace(/\{(\w+)\}/g, (m, key) => (Object.hasOwn(values, key) ? values[key] : null) ?? m);
}

// Inline Markdown, as text: what starts HTML, an entity, a table cell or strikethrough becomes an
// entity (shown as the character by every renderer, and no delimiter: CommonMark and GFM read
// delimiters before entities); what starts emphasis, code, a link or a heading is
// backslash-escaped (Python-Markdown honours only these backslashes, so the rest are entities).
// One pass, so that no escape is escaped again.
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;" };
// At the start of a line's text a number with a dot or a bracket, or «-», «+», would open a list.
const LINE_START = /^(\d+)([.)])|^([-+])/;

export function inline(value) {
  return oneLine(value)
    .replace(/[&<>|~\\`*_[\]#]/g, (c) => ESCAPES[c] ?? "\\" + c)
    .replace(LINE_START, (m, digits, mark, sign) => (sign ? "\\" + sign : digits + "\\" + mark));
}

// A multi-line value in Markdown: a fenced block, longer than any run of backticks inside, so
// nothing inside can close it; its text is shown verbatim (HTML and Markdown as typed).
export function fenced(value) {
  const runs = String(value).match(/`+/g) || [];
  const fence = "`".repeat(Math.max(3, ...runs.map((run) => run.length + 1)));
  return [fence, value, fence];
}
