import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Clapperboard, LogOut, Moon, Sun, UserRound } from "lucide-react";
import { useMemo, useState } from "react";
import { api } from "@/api/endpoints";
import { useMe } from "@/api/queries";
import { setCsrfToken } from "@/api/client";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toastError } from "@/components/ui/toast";
import { Spinner } from "@/components/ui/spinner";
import { ErrorAlert } from "@/components/ui/alert";
import { useTheme } from "@/lib/theme";
import {
  pickWorkspace,
  roleAtLeast,
  savedWorkspaceId,
  saveWorkspaceId,
  WorkspaceProvider,
  type WorkspaceState,
} from "@/lib/workspace";
import { cn } from "@/lib/utils";

// Screens the server has no API for yet (compose, publishing calendar, analytics) are not in the nav.
const NAV = [
  { to: "/", label: "Dashboard", exact: true },
  { to: "/jobs/new", label: "New job", exact: true },
  { to: "/brands", label: "Brands", exact: false },
  { to: "/settings", label: "Settings", exact: false },
] as const;

export function ThemeToggle() {
  const { dark, setTheme } = useTheme();
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={dark ? "Switch to light mode" : "Switch to dark mode"}
      title={dark ? "Light mode" : "Dark mode"}
      onClick={() => setTheme(dark ? "light" : "dark")}
      data-testid="theme-toggle"
    >
      {dark ? <Sun aria-hidden /> : <Moon aria-hidden />}
    </Button>
  );
}

export function AppShell() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [wsId, setWsId] = useState(savedWorkspaceId);

  const state = useMemo<WorkspaceState | null>(() => {
    if (!me.data) return null;
    const workspace = pickWorkspace(me.data.workspaces, wsId);
    if (!workspace) return null;
    return {
      me: me.data,
      workspace,
      setWorkspaceId: (id: number) => {
        saveWorkspaceId(id);
        setWsId(id);
      },
      canEdit: roleAtLeast(workspace.role, "editor"),
      isAdmin: roleAtLeast(workspace.role, "admin"),
    };
  }, [me.data, wsId]);

  async function signOut() {
    try {
      await api.logout();
    } catch (e) {
      toastError("Sign out failed", e);
      return;
    }
    setCsrfToken("");
    qc.clear();
    void navigate({ to: "/login" });
  }

  if (me.isPending) {
    return (
      <div className="grid min-h-screen place-items-center">
        <Spinner label="Loading your workspace" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="mx-auto max-w-md p-6">
        <ErrorAlert error={me.error} title="Cannot load your account" />
      </div>
    );
  }
  if (!state) {
    return (
      <div className="mx-auto max-w-md p-6">
        <ErrorAlert error={new Error("Your account is not a member of any workspace. Ask an admin to add you.")} />
      </div>
    );
  }

  return (
    <WorkspaceProvider value={state}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-[100] focus:rounded-md focus:bg-primary focus:px-3 focus:py-2 focus:text-primary-foreground"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/90 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-3 sm:px-6">
          <Link to="/" className="flex items-center gap-2 rounded-md font-semibold focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            <Clapperboard className="h-5 w-5 text-primary" aria-hidden />
            <span>cutroom</span>
          </Link>
          <nav aria-label="Main" className="hidden md:block">
            <NavLinks />
          </nav>
          <div className="ml-auto flex items-center gap-1">
            {state.me.workspaces.length > 1 && (
              <label className="hidden items-center gap-2 text-sm sm:flex">
                <span className="text-muted-foreground">Workspace</span>
                <select
                  className="h-8 rounded-md border border-input bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                  value={state.workspace.id}
                  onChange={(e) => {
                    state.setWorkspaceId(Number(e.target.value));
                    void navigate({ to: "/" });
                  }}
                >
                  {state.me.workspaces.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <ThemeToggle />
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="ghost" size="icon" aria-label={`Account: ${state.me.user.email}`}>
                  <UserRound aria-hidden />
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="end">
                <DropdownMenuLabel>
                  {state.me.user.email}
                  <span className="block font-normal">
                    {state.workspace.name} · {state.workspace.role}
                  </span>
                </DropdownMenuLabel>
                {state.me.workspaces.length > 1 && (
                  <>
                    <DropdownMenuSeparator />
                    <DropdownMenuLabel>Workspace</DropdownMenuLabel>
                    <DropdownMenuRadioGroup
                      value={String(state.workspace.id)}
                      onValueChange={(v) => {
                        state.setWorkspaceId(Number(v));
                        void navigate({ to: "/" });
                      }}
                    >
                      {state.me.workspaces.map((w) => (
                        <DropdownMenuRadioItem key={w.id} value={String(w.id)}>
                          {w.name}
                        </DropdownMenuRadioItem>
                      ))}
                    </DropdownMenuRadioGroup>
                  </>
                )}
                <DropdownMenuSeparator />
                <DropdownMenuItem onSelect={() => void signOut()}>
                  <LogOut aria-hidden /> Sign out
                </DropdownMenuItem>
              </DropdownMenuContent>
            </DropdownMenu>
          </div>
        </div>
        <nav aria-label="Main (small screens)" className="overflow-x-auto border-t px-3 md:hidden">
          <NavLinks />
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl px-3 py-5 focus:outline-none sm:px-6 sm:py-8">
        <Outlet />
      </main>
    </WorkspaceProvider>
  );
}

function NavLinks() {
  return (
    <ul className="flex items-center gap-1">
      {NAV.map((item) => (
        <li key={item.to}>
          <Link
            to={item.to}
            activeOptions={{ exact: item.exact }}
            className={cn(
              "block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
            )}
            activeProps={{ className: "bg-accent text-foreground", "aria-current": "page" }}
          >
            {item.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
