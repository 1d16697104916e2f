import { describe, expect, it } from "vitest";
import { activeWordIndex, parseTime, wordsFromTimeline } from "./transcript";

describe("parseTime", () => {
  it("reads Timeline times", () => {
    expect(parseTime("0.12")).toBe(0.12);
    expect(parseTime(3)).toBe(3);
    expect(parseTime("1001/30000")).toBeCloseTo(0.03337, 4);
    expect(parseTime("")).toBe(0);
    expect(parseTime("x")).toBe(0);
    expect(parseTime("1/0")).toBe(0);
  });
});

describe("activeWordIndex", () => {
  const words = wordsFromTimeline({
    captions: {
      words: [
        { text: "Spend", start: "7.6", end: "8.02" },
        { text: "Latency", start: "0.12", end: "0.6" },
        { text: "is", start: "0.6", end: "0.74" },
        { text: "budget.", start: "0.8", end: "1.42" },
      ],
    },
  });

  it("sorts the words by time", () => {
    expect(words.map((w) => w.text)).toEqual(["Latency", "is", "budget.", "Spend"]);
  });

  it("finds the word being spoken", () => {
    expect(activeWordIndex(words, 0)).toBe(-1);
    expect(activeWordIndex(words, 0.12)).toBe(0);
    expect(activeWordIndex(words, 0.6)).toBe(1); // a word ends where the next starts
    expect(activeWordIndex(words, 0.77)).toBe(-1); // a pause
    expect(activeWordIndex(words, 1.0)).toBe(2);
    expect(activeWordIndex(words, 8.0)).toBe(3);
    expect(activeWordIndex(words, 9)).toBe(-1);
    expect(activeWordIndex([], 1)).toBe(-1);
  });

  it("copes with a Timeline without captions", () => {
    expect(wordsFromTimeline({ captions: null })).toEqual([]);
    expect(wordsFromTimeline(undefined)).toEqual([]);
  });
});
