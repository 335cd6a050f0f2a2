// Dates in texts, in the browser's local time: «5 дек. 2026, 10:05» and «8 дек. 2026».
// Month names come from the words (words.months, twelve of them); an unreadable value is shown
// as it is rather than as «NaN».

const pad = (n) => String(n).padStart(2, "0");

function day(d, words) {
  return `${d.getDate()} ${words.months[d.getMonth()]} ${d.getFullYear()}`;
}

// An ISO moment (from the store) -> «5 дек. 2026, 10:05».
export function at(iso, words) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? "");
  return `${day(d, words)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// A calendar date «YYYY-MM-DD» (a date field, a next check) -> «8 дек. 2026», with no time zone
// shift: it is a day, not a moment.
export function date(ymd, words) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(ymd ?? ""));
  const d = new Date(2000, 0, 1);
  if (m) d.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // «2026-02-30» rolls over to March: not a date, shown as typed.
  if (!m || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[3])) return String(ymd ?? "");
  return day(d, words);
}
