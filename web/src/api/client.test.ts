import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockFetch } from "@/test/utils";
import { ApiError, errorFromResponse, http, setCsrfToken, setUnauthenticatedHandler } from "./client";

afterEach(() => {
  setCsrfToken("");
  setUnauthenticatedHandler(null);
});

describe("errorFromResponse", () => {
  it("keeps the API's code, message and request id", () => {
    const e = errorFromResponse(409, "Conflict", '{"error":{"code":"conflict","message":"upload 3 is not ready","request_id":"req_1"}}');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(409);
    expect(e.code).toBe("conflict");
    expect(e.message).toBe("upload 3 is not ready");
    expect(e.requestId).toBe("req_1");
  });

  it("describes a response that is not an API error", () => {
    const e = errorFromResponse(502, "Bad Gateway", "<html>proxy error</html>", "req_9");
    expect(e.code).toBe("http_502");
    expect(e.message).toBe("The server answered 502 Bad Gateway");
    expect(e.requestId).toBe("req_9");
    expect(errorFromResponse(500, "Internal Server Error", "boom").message).toContain(": boom");
  });
});

describe("request", () => {
  it("sends the CSRF token on writes only, and JSON bodies", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/x": () => json({ ok: 1 }),
      "POST /api/v1/x": () => json({ ok: 2 }, 201),
    });
    setCsrfToken("csrf123");
    expect(await http.get("/api/v1/x")).toEqual({ ok: 1 });
    expect(await http.post("/api/v1/x", { a: 1 })).toEqual({ ok: 2 });
    const get = calls[0]!.init.headers as Record<string, string>;
    const post = calls[1]!.init.headers as Record<string, string>;
    expect(get["X-CSRF-Token"]).toBeUndefined();
    expect(post["X-CSRF-Token"]).toBe("csrf123");
    expect(post["Content-Type"]).toBe("application/json");
    expect(calls[1]!.init.body).toBe('{"a":1}');
    expect(calls[0]!.init.credentials).toBe("same-origin");
  });

  it("returns undefined for 204", async () => {
    mockFetch({ "DELETE /api/v1/tokens/1": () => new Response(null, { status: 204 }) });
    await expect(http.del("/api/v1/tokens/1")).resolves.toBeUndefined();
  });

  it("reports an ended session once, but not a wrong password", async () => {
    const onExpired = vi.fn();
    setUnauthenticatedHandler(onExpired);
    mockFetch({
      "GET /api/v1/auth/me": () => apiError(401, "unauthenticated", "sign in first"),
      "POST /api/v1/auth/login": () => apiError(401, "invalid_credentials", "wrong e-mail or password"),
    });
    await expect(http.get("/api/v1/auth/me")).rejects.toMatchObject({ status: 401, code: "unauthenticated", unauthenticated: true });
    expect(onExpired).toHaveBeenCalledTimes(1);
    await expect(http.post("/api/v1/auth/login", {})).rejects.toMatchObject({ message: "wrong e-mail or password" });
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it("turns a network failure into an ApiError that says so", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(http.get("/api/v1/x")).rejects.toMatchObject({ code: "network", status: 0 });
  });
});
