import { AlertTriangle, Info } from "lucide-react";
import type { ReactNode } from "react";
import { ApiError, errorMessage } from "@/api/client";
import { cn } from "@/lib/utils";

/** Every API error shown as it came: the server's message, its code and the request id. */
export function ErrorAlert({ error, title, className }: { error: unknown; title?: string; className?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div
      role="alert"
      className={cn(
        "flex gap-3 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-foreground",
        className,
      )}
    >
      <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-destructive" aria-hidden />
      <div className="min-w-0 space-y-0.5">
        {title && <p className="font-medium">{title}</p>}
        <p className="break-words">{errorMessage(error)}</p>
        {api && (api.code || api.requestId) && (
          <p className="text-xs text-muted-foreground">
            {api.status > 0 && <>HTTP {api.status} · </>}
            {api.code}
            {api.requestId && <> · request {api.requestId}</>}
          </p>
        )}
      </div>
    </div>
  );
}

export function Notice({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cn("flex gap-3 rounded-md border bg-muted/50 p-3 text-sm", className)}>
      <Info className="mt-0.5 h-4 w-4 shrink-0 text-muted-foreground" aria-hidden />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
