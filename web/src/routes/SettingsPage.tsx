import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Copy, KeyRound, Trash2, UserPlus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { api } from "@/api/endpoints";
import { keys, useMembers, useTokens } from "@/api/queries";
import { ROLES, type NewApiToken, type Role } from "@/api/types";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/spinner";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast, toastError } from "@/components/ui/toast";
import { formatAgo, formatDateTime, humanize } from "@/lib/format";
import { useWorkspace } from "@/lib/workspace";

export function SettingsPage({ tab }: { tab: "tokens" | "members" }) {
  const navigate = useNavigate();
  return (
    <div className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-muted-foreground">API tokens for scripts, and who works in this workspace.</p>
      </div>
      <Tabs value={tab} onValueChange={(v) => void navigate({ to: "/settings", search: { tab: v as "tokens" | "members" } })}>
        <TabsList aria-label="Settings">
          <TabsTrigger value="tokens">API tokens</TabsTrigger>
          <TabsTrigger value="members">Members</TabsTrigger>
        </TabsList>
        <TabsContent value="tokens">
          <TokensPanel />
        </TabsContent>
        <TabsContent value="members">
          <MembersPanel />
        </TabsContent>
      </Tabs>
    </div>
  );
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function TokensPanel() {
  const qc = useQueryClient();
  const tokens = useTokens();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const create = useMutation({
    mutationFn: () => api.createToken(name.trim()),
    onSuccess: (t) => {
      setCreated(t);
      setName("");
      void qc.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.revokeToken(id),
    onSuccess: () => {
      toast({ title: "Token revoked" });
      void qc.invalidateQueries({ queryKey: keys.tokens });
    },
    onError: (e) => toastError("Could not revoke the token", e),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) create.mutate();
  }

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle>New token</CardTitle>
          <CardDescription>
            Use it as <code className="rounded bg-muted px-1">Authorization: Bearer …</code>. It acts as you, in every workspace you belong to.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
            <div className="grid min-w-[14rem] flex-1 gap-1.5">
              <Label htmlFor="token-name">Name</Label>
              <Input id="token-name" required maxLength={100} placeholder="CI upload script" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <Button type="submit" disabled={!name.trim() || create.isPending}>
              <KeyRound aria-hidden /> Create token
            </Button>
          </form>
          {create.isError && <ErrorAlert className="mt-3" error={create.error} title="The token was not created" />}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Your tokens</CardTitle>
        </CardHeader>
        <CardContent>
          {tokens.isError && <ErrorAlert error={tokens.error} title="Cannot list the tokens" />}
          {tokens.isPending && <Skeleton className="h-20" />}
          {tokens.data && tokens.data.items.length === 0 && <p className="text-sm text-muted-foreground">No tokens.</p>}
          {tokens.data && tokens.data.items.length > 0 && (
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-muted-foreground">
                  <tr>
                    <th scope="col" className="py-2 pr-3 font-medium">Name</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Token</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Created</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Last used</th>
                    <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {tokens.data.items.map((t) => (
                    <tr key={t.id}>
                      <td className="py-2 pr-3 font-medium">{t.name}</td>
                      <td className="py-2 pr-3 font-mono text-xs">{t.prefix}…</td>
                      <td className="py-2 pr-3" title={formatDateTime(t.created_at_ms)}>{formatAgo(t.created_at_ms)}</td>
                      <td className="py-2 pr-3">{t.last_used_at_ms ? formatAgo(t.last_used_at_ms) : "never"}</td>
                      <td className="py-2 text-right">
                        {t.revoked ? (
                          <Badge variant="secondary">Revoked</Badge>
                        ) : (
                          <ConfirmDialog
                            trigger={
                              <Button variant="ghost" size="sm" aria-label={`Revoke ${t.name}`}>
                                <Trash2 aria-hidden /> Revoke
                              </Button>
                            }
                            title={`Revoke ${t.name}?`}
                            description="Scripts using it stop working at once. This cannot be undone."
                            confirmLabel="Revoke token"
                            onConfirm={() => revoke.mutate(t.id)}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
      <NewTokenDialog token={created} onClose={() => setCreated(null)} />
    </div>
  );
}

/** The secret, shown once: the server keeps only its hash. */
function NewTokenDialog({ token, onClose }: { token: NewApiToken | null; onClose: () => void }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  return (
    <Dialog
      open={token !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied("no");
          onClose();
        }
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Token “{token?.name}” created</DialogTitle>
          <DialogDescription>Copy it now: it is shown only this once.</DialogDescription>
        </DialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor="new-token-secret">Token</Label>
          <div className="flex gap-2">
            <Input id="new-token-secret" readOnly value={token?.token ?? ""} className="font-mono text-xs" onFocus={(e) => e.target.select()} />
            <Button
              variant="secondary"
              onClick={async () => setCopied((await copyText(token?.token ?? "")) ? "yes" : "failed")}
            >
              <Copy aria-hidden /> Copy
            </Button>
          </div>
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {copied === "yes" && "Copied to the clipboard."}
            {copied === "failed" && "The browser refused the clipboard: select the token and copy it by hand."}
          </p>
        </div>
        <DialogFooter>
          <Button onClick={onClose}>Done</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function MembersPanel() {
  const { workspace, isAdmin, me } = useWorkspace();
  const w = workspace.id;
  const qc = useQueryClient();
  const members = useMembers(w);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [password, setPassword] = useState("");
  const add = useMutation({
    mutationFn: () => api.addMember(w, { email: email.trim(), role, ...(password ? { password } : {}) }),
    onSuccess: (m) => {
      toast({ title: `${m.email} added as ${m.role}`, variant: "success" });
      setEmail("");
      setPassword("");
      void qc.invalidateQueries({ queryKey: keys.members(w) });
    },
  });
  const setMemberRole = useMutation({
    mutationFn: ({ user, role }: { user: number; role: Role }) => api.setMemberRole(w, user, role),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.members(w) }),
    onError: (e) => {
      toastError("The role was not changed", e);
      void qc.invalidateQueries({ queryKey: keys.members(w) });
    },
  });
  const remove = useMutation({
    mutationFn: (user: number) => api.removeMember(w, user),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.members(w) }),
    onError: (e) => toastError("The member was not removed", e),
  });
  const assignable = ROLES.filter((r) => r !== "owner" || workspace.role === "owner");

  return (
    <div className="grid gap-4">
      {isAdmin ? (
        <Card>
          <CardHeader>
            <CardTitle>Add a member</CardTitle>
            <CardDescription>An existing account by e-mail; with a password, a new account is created.</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate();
              }}
              className="grid gap-3 sm:grid-cols-[2fr_1fr_2fr_auto] sm:items-end"
            >
              <div className="grid gap-1.5">
                <Label htmlFor="member-email">E-mail</Label>
                <Input id="member-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor="member-role">Role</Label>
                <Select value={role} onValueChange={(v) => setRole(v as Role)}>
                  <SelectTrigger id="member-role">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {assignable.map((r) => (
                      <SelectItem key={r} value={r}>
                        {humanize(r)}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor="member-password">Password for a new account (optional)</Label>
                <Input id="member-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </div>
              <Button type="submit" disabled={!email.trim() || add.isPending}>
                <UserPlus aria-hidden /> Add
              </Button>
            </form>
            {add.isError && <ErrorAlert className="mt-3" error={add.error} title="The member was not added" />}
          </CardContent>
        </Card>
      ) : (
        <Notice>Your role is {workspace.role}: managing members needs the admin role.</Notice>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Members of {workspace.name}</CardTitle>
        </CardHeader>
        <CardContent>
          {members.isError && <ErrorAlert error={members.error} title="Cannot list the members" />}
          {members.isPending && <Skeleton className="h-20" />}
          {members.data && (
            <div className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-muted-foreground">
                  <tr>
                    <th scope="col" className="py-2 pr-3 font-medium">E-mail</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Role</th>
                    <th scope="col" className="py-2 pr-3 font-medium">Joined</th>
                    <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {members.data.items.map((m) => {
                    const self = m.user_id === me.user.id;
                    const editable = isAdmin && !self && (m.role !== "owner" || workspace.role === "owner");
                    return (
                      <tr key={m.user_id}>
                        <td className="py-2 pr-3">
                          {m.email}
                          {self && <span className="text-muted-foreground"> (you)</span>}
                        </td>
                        <td className="py-2 pr-3">
                          {editable ? (
                            <Select value={m.role} onValueChange={(v) => setMemberRole.mutate({ user: m.user_id, role: v as Role })}>
                              <SelectTrigger className="h-8 w-32" aria-label={`Role of ${m.email}`}>
                                <SelectValue />
                              </SelectTrigger>
                              <SelectContent>
                                {assignable.map((r) => (
                                  <SelectItem key={r} value={r}>
                                    {humanize(r)}
                                  </SelectItem>
                                ))}
                              </SelectContent>
                            </Select>
                          ) : (
                            <Badge variant="secondary">{humanize(m.role)}</Badge>
                          )}
                        </td>
                        <td className="py-2 pr-3">{formatAgo(m.created_at_ms)}</td>
                        <td className="py-2 text-right">
                          {editable && (
                            <ConfirmDialog
                              trigger={
                                <Button variant="ghost" size="sm" aria-label={`Remove ${m.email}`}>
                                  <Trash2 aria-hidden /> Remove
                                </Button>
                              }
                              title={`Remove ${m.email}?`}
                              description={`They lose access to ${workspace.name}. Their account stays.`}
                              confirmLabel="Remove member"
                              onConfirm={() => remove.mutate(m.user_id)}
                            />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
