// The clip's words in output time (from its Timeline's captions), and which one is spoken at t.

export interface Word {
  text: string;
  start: number;
  end: number;
}

/** A Timeline time: a number, a decimal string or a rational "a/b". */
export function parseTime(value: string | number | undefined | null): number {
  if (typeof value === "number") return value;
  if (!value) return 0;
  const slash = value.indexOf("/");
  if (slash > 0) {
    const den = Number(value.slice(slash + 1));
    return den ? Number(value.slice(0, slash)) / den : 0;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function wordsFromTimeline(
  timeline: { captions?: { words?: { text: string; start: string | number; end: string | number }[] } | null } | undefined,
): Word[] {
  const words = timeline?.captions?.words ?? [];
  return words
    .map((w) => ({ text: w.text, start: parseTime(w.start), end: parseTime(w.end) }))
    .sort((a, b) => a.start - b.start);
}

/** Index of the word being spoken at `t` (seconds), or -1 between words / before the first. */
export function activeWordIndex(words: Word[], t: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.start <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  return t < words[found]!.end ? found : -1;
}
