import * as ToastPrimitive from "@radix-ui/react-toast";
import { X } from "lucide-react";
import { useSyncExternalStore } from "react";
import { ApiError, errorMessage } from "@/api/client";
import { cn } from "@/lib/utils";

export interface ToastItem {
  id: number;
  title: string;
  description?: string;
  variant?: "default" | "destructive" | "success";
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function toast(t: Omit<ToastItem, "id">): void {
  items = [...items.slice(-4), { ...t, id: nextId++ }];
  emit();
}

/** A failed action: the server's message (and request id) in a toast. */
export function toastError(title: string, error: unknown): void {
  const rid = error instanceof ApiError && error.requestId ? ` (request ${error.requestId})` : "";
  toast({ title, description: errorMessage(error) + rid, variant: "destructive" });
}

function dismiss(id: number): void {
  items = items.filter((t) => t.id !== id);
  emit();
}

function useToasts(): ToastItem[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => items,
  );
}

export function Toaster() {
  const list = useToasts();
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={6000}>
      {list.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          duration={t.variant === "destructive" ? 12000 : 5000}
          onOpenChange={(open) => !open && dismiss(t.id)}
          className={cn(
            "pointer-events-auto relative flex w-full items-start gap-3 rounded-md border bg-background p-4 pr-8 text-sm shadow-lg",
            t.variant === "destructive" && "border-destructive/50 bg-destructive/10",
            t.variant === "success" && "border-success/50",
          )}
        >
          <div className="grid gap-1">
            <ToastPrimitive.Title className="font-semibold">{t.title}</ToastPrimitive.Title>
            {t.description && <ToastPrimitive.Description className="break-words opacity-90">{t.description}</ToastPrimitive.Description>}
          </div>
          <ToastPrimitive.Close className="absolute right-2 top-2 rounded-sm p-1 opacity-70 hover:opacity-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            <X className="h-4 w-4" aria-hidden />
            <span className="sr-only">Dismiss</span>
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed bottom-0 right-0 z-[100] flex max-h-screen w-full flex-col gap-2 p-4 sm:max-w-sm" />
    </ToastPrimitive.Provider>
  );
}
