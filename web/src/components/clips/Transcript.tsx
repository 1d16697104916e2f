import { memo, useEffect, useRef } from "react";
import { formatClock } from "@/lib/format";
import { activeWordIndex, type Word } from "@/lib/transcript";
import { cn } from "@/lib/utils";

/**
 * The clip's words with the one being spoken highlighted (aria-current). Clicking a word seeks
 * there. The list scrolls itself (not the page) to keep the active word visible.
 */
export const Transcript = memo(function Transcript({
  words,
  time,
  onSeek,
}: {
  words: Word[];
  time: number;
  onSeek: (t: number) => void;
}) {
  const active = activeWordIndex(words, time);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = box.current;
    if (!container || active < 0) return;
    const el = container.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (!el) return;
    const top = el.offsetTop - container.offsetTop;
    if (top < container.scrollTop || top + el.offsetHeight > container.scrollTop + container.clientHeight) {
      container.scrollTop = Math.max(0, top - container.clientHeight / 3);
    }
  }, [active]);

  if (words.length === 0) return <p className="text-sm text-muted-foreground">This clip has no transcribed words.</p>;
  return (
    <div
      ref={box}
      className="relative max-h-64 overflow-y-auto rounded-md border bg-muted/30 p-3 text-base leading-8"
      data-testid="transcript"
      aria-label="Transcript"
      role="region"
      tabIndex={0}
    >
      {words.map((w, i) => (
        <span key={i}>
          <span
            data-index={i}
            aria-current={i === active ? "true" : undefined}
            title={formatClock(w.start)}
            onClick={() => onSeek(w.start)}
            className={cn(
              "cursor-pointer rounded px-0.5 transition-colors hover:bg-accent",
              i === active && "bg-primary text-primary-foreground hover:bg-primary",
            )}
          >
            {w.text}
          </span>{" "}
        </span>
      ))}
    </div>
  );
});
