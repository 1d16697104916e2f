import { describe, expect, it } from "vitest";
import { safeRedirect } from "./router";

describe("safeRedirect", () => {
  it("only follows paths of this app", () => {
    expect(safeRedirect("/clips/3-1")).toBe("/clips/3-1");
    expect(safeRedirect("/?job=4")).toBe("/?job=4");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("https://evil.example/")).toBe("/");
    expect(safeRedirect("//evil.example/")).toBe("/");
    expect(safeRedirect("/login?redirect=/x")).toBe("/");
  });
});
