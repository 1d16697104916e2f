import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Link,
  Outlet,
  redirect,
} from "@tanstack/react-router";
import { ApiError } from "@/api/client";
import { meQuery } from "@/api/queries";
import { AppShell } from "@/components/AppShell";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Toaster } from "@/components/ui/toast";
import { BrandsPage } from "@/routes/BrandsPage";
import { ClipPage } from "@/routes/ClipPage";
import { DashboardPage } from "@/routes/DashboardPage";
import { JobPage } from "@/routes/JobPage";
import { LoginPage } from "@/routes/LoginPage";
import { NewJobPage } from "@/routes/NewJobPage";
import { SettingsPage } from "@/routes/SettingsPage";

export interface RouterContext {
  queryClient: QueryClient;
}

export interface LoginSearch {
  redirect?: string;
  expired?: boolean;
}

/** Only paths of this app: never another origin ("//evil.example"). */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/login")) return "/";
  return target;
}

function NotFound() {
  return (
    <div className="mx-auto max-w-md space-y-4 p-6 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">There is nothing at this address.</p>
      <Button asChild>
        <Link to="/">Go to the dashboard</Link>
      </Button>
    </div>
  );
}

function RouteError({ error }: { error: unknown }) {
  return (
    <div className="mx-auto max-w-xl p-6">
      <ErrorAlert error={error} title="Something went wrong" />
    </div>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <>
      <Outlet />
      <Toaster />
    </>
  ),
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (s: Record<string, unknown>): LoginSearch => ({
    redirect: typeof s.redirect === "string" ? s.redirect : undefined,
    expired: s.expired === true || s.expired === "true" || s.expired === 1 ? true : undefined,
  }),
  component: function LoginRoute() {
    const search = loginRoute.useSearch();
    return <LoginPage redirectTo={safeRedirect(search.redirect)} expired={!!search.expired} />;
  },
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(meQuery);
    } catch (e) {
      if (e instanceof ApiError && e.unauthenticated) {
        throw redirect({ to: "/login", search: { redirect: location.href } });
      }
      throw e;
    }
  },
  component: AppShell,
  errorComponent: RouteError,
});

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  validateSearch: (s: Record<string, unknown>): { job?: number } => ({
    job: Number(s.job) > 0 ? Number(s.job) : undefined,
  }),
  component: function DashboardRoute() {
    const { job } = dashboardRoute.useSearch();
    return <DashboardPage highlight={job} />;
  },
});

const newJobRoute = createRoute({ getParentRoute: () => appRoute, path: "/jobs/new", component: NewJobPage });

const jobRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/jobs/$jobId",
  component: function JobRoute() {
    const { jobId } = jobRoute.useParams();
    return <JobPage jobId={Number(jobId)} />;
  },
});

const clipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/clips/$clipId",
  component: function ClipRoute() {
    const { clipId } = clipRoute.useParams();
    return <ClipPage clipId={clipId} />;
  },
});

const brandsRoute = createRoute({ getParentRoute: () => appRoute, path: "/brands", component: BrandsPage });

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings",
  validateSearch: (s: Record<string, unknown>): { tab?: "tokens" | "members" } => ({
    tab: s.tab === "members" ? "members" : s.tab === "tokens" ? "tokens" : undefined,
  }),
  component: function SettingsRoute() {
    const { tab } = settingsRoute.useSearch();
    return <SettingsPage tab={tab ?? "tokens"} />;
  },
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([dashboardRoute, newJobRoute, jobRoute, clipRoute, brandsRoute, settingsRoute]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
