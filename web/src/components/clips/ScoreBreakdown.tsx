import type { Clip } from "@/api/types";
import { humanize } from "@/lib/format";
import { cn } from "@/lib/utils";
import { scoreVariant } from "./ReviewBadge";

/** The 0..100 score, and each component as a bar (its 0..1 value) with its points and reason. */
export function ScoreBreakdown({ clip }: { clip: Pick<Clip, "score" | "components" | "reason"> }) {
  const components = Object.entries(clip.components).sort((a, b) => b[1].contribution - a[1].contribution);
  return (
    <div className="grid gap-4">
      <div className="flex items-baseline gap-3">
        <span className={cn("text-4xl font-bold tabular-nums", scoreVariant(clip.score))} data-testid="clip-score">
          {Math.round(clip.score)}
        </span>
        <span className="text-sm text-muted-foreground">of 100</span>
      </div>
      {clip.reason && <p className="text-sm">{clip.reason}</p>}
      <ul className="grid gap-3" aria-label="Score components">
        {components.map(([name, c]) => {
          const pct = Math.round(Math.max(0, Math.min(1, c.value)) * 100);
          const labelId = `score-${name}`;
          return (
            <li key={name} className="grid gap-1" data-testid={`score-component-${name}`}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <span id={labelId} className="font-medium">
                  {humanize(name)}
                </span>
                <span className="text-xs tabular-nums text-muted-foreground">
                  {c.contribution >= 0 ? "+" : ""}
                  {c.contribution.toFixed(1)} pts · weight {c.weight}
                </span>
              </div>
              <div
                role="meter"
                aria-labelledby={labelId}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
                aria-valuetext={`${pct}%`}
                className="h-2 overflow-hidden rounded-full bg-secondary"
              >
                <div
                  className={cn("h-full rounded-full", pct >= 66 ? "bg-success" : pct >= 33 ? "bg-warning" : "bg-destructive")}
                  style={{ width: `${pct}%` }}
                />
              </div>
              {c.detail && <p className="text-xs text-muted-foreground">{c.detail}</p>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
