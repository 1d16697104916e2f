import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { vi } from "vitest";
import type { Role } from "@/api/types";
import { makeWorkspaceState, WorkspaceProvider } from "@/lib/workspace";

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
}

export function Providers({ children, client, role = "owner" }: { children: ReactNode; client: QueryClient; role?: Role }) {
  return (
    <QueryClientProvider client={client}>
      <WorkspaceProvider value={makeWorkspaceState(role)}>{children}</WorkspaceProvider>
    </QueryClientProvider>
  );
}

export function renderWithProviders(ui: ReactElement, opts: { role?: Role; client?: QueryClient } = {}) {
  const client = opts.client ?? testQueryClient();
  const result = render(
    <Providers client={client} role={opts.role}>
      {ui}
    </Providers>,
  );
  return { ...result, client };
}

/** For components with <Link>: rendered as the root route of a memory router. */
export function renderWithRouter(ui: ReactElement, opts: { role?: Role; client?: QueryClient } = {}): RenderResult & { client: QueryClient } {
  const client = opts.client ?? testQueryClient();
  const rootRoute = createRootRoute({ component: () => ui });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ["/"] }) });
  const result = render(
    <Providers client={client} role={opts.role}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...result, client };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function apiError(status: number, code: string, message: string): Response {
  return json({ error: { code, message, request_id: "req_test" } }, status, { "X-Request-Id": "req_test" });
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Replaces fetch with a router of "METHOD /path" -> handler; unknown requests fail the test. */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: { method: string; url: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? "GET").toUpperCase();
    calls.push({ method, url, init });
    const path = url.split("?")[0];
    const handler = routes[`${method} ${url}`] ?? routes[`${method} ${path}`];
    if (!handler) throw new Error(`unexpected request ${method} ${url}`);
    return handler(url, init);
  });
  vi.stubGlobal("fetch", fn);
  return { fn, calls };
}
