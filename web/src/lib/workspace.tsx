// The current workspace (chosen in the header, remembered in localStorage) and the caller's role.
import { createContext, useContext, type ReactNode } from "react";
import type { Me, Role, Workspace } from "@/api/types";

const KEY = "cutroom.workspace";

export interface WorkspaceState {
  me: Me;
  workspace: Workspace;
  setWorkspaceId: (id: number) => void;
  canEdit: boolean;
  isAdmin: boolean;
}

const Ctx = createContext<WorkspaceState | null>(null);

const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
export function roleAtLeast(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}

export function savedWorkspaceId(): number {
  try {
    return Number(localStorage.getItem(KEY)) || 0;
  } catch {
    return 0;
  }
}
export function saveWorkspaceId(id: number): void {
  try {
    localStorage.setItem(KEY, String(id));
  } catch {
    /* not remembered */
  }
}

/** The saved workspace when the user is still a member of it, else the first one. */
export function pickWorkspace(workspaces: Workspace[], saved: number): Workspace | undefined {
  return workspaces.find((w) => w.id === saved) ?? workspaces[0];
}

export function WorkspaceProvider({ value, children }: { value: WorkspaceState; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useWorkspace(): WorkspaceState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useWorkspace outside the signed-in app");
  return ctx;
}

/** For tests and stories: the state for a given workspace and role. */
export function makeWorkspaceState(role: Role = "owner", id = 1): WorkspaceState {
  const workspace: Workspace = { id, name: "Default", role, created_at_ms: 0 };
  return {
    me: { user: { id: 1, email: "a@example.com", name: "A", created_at_ms: 0 }, workspaces: [workspace] },
    workspace,
    setWorkspaceId: () => {},
    canEdit: roleAtLeast(role, "editor"),
    isAdmin: roleAtLeast(role, "admin"),
  };
}
