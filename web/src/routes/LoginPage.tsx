import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { Clapperboard } from "lucide-react";
import { useState, type FormEvent } from "react";
import { setCsrfToken } from "@/api/client";
import { api } from "@/api/endpoints";
import { meQuery } from "@/api/queries";
import { ThemeToggle } from "@/components/AppShell";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export function LoginForm({ onSignedIn, expired }: { onSignedIn: () => void | Promise<void>; expired?: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const login = await api.login(email.trim(), password);
      setCsrfToken(login.csrf_token);
      await onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-4" aria-describedby={error ? "login-error" : undefined}>
      {expired && <Notice>Your session has expired. Sign in again to continue where you were.</Notice>}
      <div className="grid gap-1.5">
        <Label htmlFor="email">E-mail</Label>
        <Input
          id="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {error != null && (
        <div id="login-error">
          <ErrorAlert error={error} title="Sign-in failed" />
        </div>
      )}
      <Button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

export function LoginPage({ redirectTo, expired }: { redirectTo: string; expired: boolean }) {
  const qc = useQueryClient();
  const router = useRouter();
  return (
    <div className="relative grid min-h-screen place-items-center bg-muted/40 p-4">
      <div className="absolute right-3 top-3">
        <ThemeToggle />
      </div>
      <main className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-xl font-semibold">
          <Clapperboard className="h-6 w-6 text-primary" aria-hidden />
          cutroom
        </div>
        <Card>
          <CardHeader>
            <h1 className="text-lg font-semibold leading-tight">Sign in</h1>
            <CardDescription>Review and steer your video jobs.</CardDescription>
          </CardHeader>
          <CardContent>
            <LoginForm
              expired={expired}
              onSignedIn={async () => {
                qc.removeQueries();
                await qc.fetchQuery(meQuery);
                router.history.push(redirectTo);
              }}
            />
          </CardContent>
        </Card>
      </main>
    </div>
  );
}
